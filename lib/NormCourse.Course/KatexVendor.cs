using System.Formats.Tar;
using System.IO.Compression;

namespace NormCourse.Course;

/// <summary>
/// Puts KaTeX (the npm package <c>katex</c>, pinned to <see cref="Version"/>) into the site so its math renders
/// with no network: <c>npm pack</c> fetches the package once into a cache folder, and its <c>dist/</c>
/// (katex.min.js, katex.min.css, fonts/) is unpacked into the site.
/// </summary>
public static class KatexVendor
{
    /// <summary>The pinned KaTeX version.</summary>
    public const string Version = "0.19.1";

    /// <summary>Copies KaTeX's dist folder into <paramref name="siteFolder"/>/katex, fetching it into <paramref name="cacheFolder"/> if needed.</summary>
    public static void Install(string cacheFolder, string siteFolder)
    {
        Directory.CreateDirectory(cacheFolder);
        string tarball = Path.Combine(cacheFolder, $"katex-{Version}.tgz");
        if (!File.Exists(tarball))
        {
            var run = ProcessRunner.Run("npm", ["pack", $"katex@{Version}", "--silent", "--pack-destination", Path.GetFullPath(cacheFolder)],
                cacheFolder, TimeSpan.FromMinutes(3));
            if (run.ExitCode != 0 || !File.Exists(tarball))
                throw new InvalidOperationException($"npm pack katex@{Version} failed (exit {run.ExitCode}); the site needs KaTeX for its math:\n{run.Output}");
        }
        string target = Path.Combine(siteFolder, "katex");
        using var file = File.OpenRead(tarball);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        const string prefix = "package/dist/";
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
            if (!entry.Name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            string relative = entry.Name[prefix.Length..];
            // Only what the pages load: the minified script and style, and the woff2 fonts the style names first.
            if (!(relative is "katex.min.js" or "katex.min.css" || (relative.StartsWith("fonts/", StringComparison.Ordinal) && relative.EndsWith(".woff2", StringComparison.Ordinal))))
                continue;
            string path = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            entry.ExtractToFile(path, overwrite: true);
        }
        if (!File.Exists(Path.Combine(target, "katex.min.js")))
            throw new InvalidDataException($"{tarball} has no {prefix}katex.min.js.");
    }
}

using System.Net.Http.Headers;
using System.Text;

namespace NormCourse.Data;

/// <summary>
/// Finds, verifies, downloads if needed, and loads a dataset described by an <see cref="IdxDatasetSource"/>.
/// </summary>
/// <remarks>
/// Each file is looked for in the search folders in order (as <c>name.gz</c>, then <c>name</c>) and the first
/// found is used; it must have the SHA-256 of the table, or loading stops with a
/// <see cref="DatasetChecksumException"/> naming the file and both hashes. A file found nowhere is downloaded
/// from each mirror in turn into a temporary file in the cache folder, verified, and only then renamed to its
/// final name: an interrupted, truncated or wrong download never leaves a file a later run would trust.
/// </remarks>
public static class IdxDatasetLoader
{
    /// <summary>The system folder Debian's dataset packages install into.</summary>
    public const string SystemDatasetsFolder = "/usr/share/datasets";

    // The largest believable gzip of n bytes: deflate adds at most a few bytes per 16 KiB block, plus headers.
    private static long MaxDownloadBytes(long decompressed) => decompressed + decompressed / 100 + (1 << 16);

    /// <summary>Loads the training and test sets, features scaled to [0, 1] and flattened to (N, rows × cols).</summary>
    /// <exception cref="DatasetChecksumException">A file found locally has the wrong content.</exception>
    /// <exception cref="DatasetDownloadException">A file is nowhere and could not be downloaded.</exception>
    /// <exception cref="IdxFormatException">A verified file is still not a valid pair of IDX files (a wrong table).</exception>
    public static DatasetSplit Load(IdxDatasetSource source, DatasetLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new DatasetLoadOptions();
        var trainImages = LoadFile(source, source.TrainImages, 3, options);
        var trainLabels = LoadFile(source, source.TrainLabels, 1, options);
        var testImages = LoadFile(source, source.TestImages, 3, options);
        var testLabels = LoadFile(source, source.TestLabels, 1, options);
        int k = source.ClassNames.Count;
        return new DatasetSplit(
            Preprocess.FromIdx($"{source.Name} train", trainImages, trainLabels, k, source.ClassNames),
            Preprocess.FromIdx($"{source.Name} test", testImages, testLabels, k, source.ClassNames));
    }

    /// <summary>Finds (or downloads) one file, verifies it and parses it.</summary>
    /// <param name="source">The dataset.</param>
    /// <param name="file">Which of its files.</param>
    /// <param name="expectedRank">3 for images, 1 for labels.</param>
    /// <param name="options">Where to look; null for the defaults.</param>
    public static IdxArray LoadFile(IdxDatasetSource source, IdxFileSpec file, int expectedRank, DatasetLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(file);
        options ??= new DatasetLoadOptions();
        string cache = options.CacheFolder ?? DefaultCacheFolder(source);
        var folders = (options.SearchFolders ?? DefaultSearchFolders(source)).Append(cache).ToList();
        if (FindLocal(folders, file.FileName) is { } local)
            return VerifiedIdx.Load(local, file, expectedRank);
        if (!options.AllowDownload)
            throw new DatasetDownloadException(file.FileName,
                $"{source.Name}: '{file.FileName}' (.gz or plain) is in none of {Quote(folders)}, and downloading is disabled.", []);
        return Download(source, file, expectedRank, options, cache, folders);
    }

    /// <summary>
    /// The default search order: the folder named by the dataset's environment variable (when set), the
    /// repository's <c>data/&lt;FolderName&gt;</c> (when the working directory or the program is inside the repository),
    /// <c>/usr/share/datasets/&lt;FolderName&gt;</c>. The cache folder is searched after these.
    /// </summary>
    /// <param name="source">The dataset.</param>
    /// <param name="getEnvironmentVariable">Reads a variable; null for the process environment (tests pass their own).</param>
    public static IReadOnlyList<string> DefaultSearchFolders(IdxDatasetSource source, Func<string, string?>? getEnvironmentVariable = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var folders = new List<string>();
        string? fromEnv = (getEnvironmentVariable ?? Environment.GetEnvironmentVariable)(source.EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv)) folders.Add(fromEnv);
        if (RepositoryLocator.FindDataFolder() is { } data) folders.Add(Path.Combine(data, source.FolderName));
        folders.Add(Path.Combine(SystemDatasetsFolder, source.FolderName));
        return folders;
    }

    /// <summary>
    /// The user cache folder for a dataset: <c>$XDG_CACHE_HOME/normcourse/&lt;FolderName&gt;</c>, by default
    /// <c>~/.cache/normcourse/&lt;FolderName&gt;</c> (on Windows, under the local application data folder).
    /// </summary>
    public static string DefaultCacheFolder(IdxDatasetSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        string root = OperatingSystem.IsWindows()
            ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
            : Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "normcourse", source.FolderName);
    }

    private static string? FindLocal(IEnumerable<string> folders, string fileName)
    {
        foreach (string folder in folders)
        {
            foreach (string candidate in new[] { fileName + ".gz", fileName })
            {
                string path = Path.Combine(folder, candidate);
                if (File.Exists(path)) return path;
            }
        }
        return null;
    }

    private static IdxArray Download(IdxDatasetSource source, IdxFileSpec file, int rank, DatasetLoadOptions options, string cache, List<string> searched)
    {
        var mirrors = options.Mirrors ?? source.Mirrors;
        Directory.CreateDirectory(cache);
        string final = Path.Combine(cache, file.FileName + ".gz");
        var failures = new List<Exception>();
        var report = new StringBuilder();
        HttpClient? owned = options.HttpClient is null ? new HttpClient { Timeout = Timeout.InfiniteTimeSpan } : null;
        var client = options.HttpClient ?? owned!;
        try
        {
            foreach (var mirror in mirrors)
            {
                var url = new Uri(EnsureTrailingSlash(mirror), file.FileName + ".gz");
                // A name no search looks for: a leftover from a killed process is never mistaken for the file.
                string temp = Path.Combine(cache, $".{file.FileName}.gz.{Guid.NewGuid():N}.part");
                try
                {
                    FetchToAsync(client, url, temp, MaxDownloadBytes(file.Length), options.DownloadTimeout).GetAwaiter().GetResult();
                    var array = VerifiedIdx.Load(temp, file, rank);
                    File.Move(temp, final, overwrite: true);
                    return array;
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
                {
                    var failure = ex is DatasetChecksumException c
                        ? new DatasetChecksumException(url.ToString(), c.ExpectedSha256, c.ActualSha256)
                        : ex;
                    failures.Add(failure);
                    report.Append($"\n  {url}: {failure.Message}");
                }
                finally
                {
                    if (File.Exists(temp)) File.Delete(temp);
                }
            }
        }
        finally
        {
            owned?.Dispose();
        }
        throw new DatasetDownloadException(file.FileName,
            $"{source.Name}: '{file.FileName}' (.gz or plain) is in none of {Quote(searched)}, and no mirror gave a verified copy " +
            $"(SHA-256 of the decompressed file {file.Sha256}):{report}", failures);
    }

    // Asynchronous inside so the timeout also bounds a server that stalls in the middle of the body; the public
    // API stays synchronous because notebooks and scripts call it from top-level code.
    private static async Task FetchToAsync(HttpClient client, Uri url, string temp, long maxBytes, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("NormCourse", "1.0"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cts.Token).ConfigureAwait(false);
        await using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = await body.ReadAsync(buffer, cts.Token).ConfigureAwait(false)) > 0)
        {
            total += n;
            if (total > maxBytes)
                throw new IOException($"the response exceeds {maxBytes} bytes, more than the file can compress to.");
            await output.WriteAsync(buffer.AsMemory(0, n), cts.Token).ConfigureAwait(false);
        }
    }

    private static Uri EnsureTrailingSlash(Uri u) => u.AbsoluteUri.EndsWith('/') ? u : new Uri(u.AbsoluteUri + "/");

    private static string Quote(IEnumerable<string> folders) => string.Join(", ", folders.Select(f => $"'{f}'"));
}

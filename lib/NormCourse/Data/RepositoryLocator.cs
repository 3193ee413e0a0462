namespace NormCourse.Data;

/// <summary>Finds the course repository's <c>data/</c> folder from a notebook, a script or a test.</summary>
internal static class RepositoryLocator
{
    // The repository root is recognised by its solution file.
    private const string Marker = "NormCourse.sln";

    /// <summary>
    /// The <c>data/</c> folder of the repository that contains the working directory or, failing that, the
    /// running program; null when neither is inside the repository.
    /// </summary>
    public static string? FindDataFolder()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, Marker)))
                    return Path.Combine(dir.FullName, "data");
            }
        }
        return null;
    }
}

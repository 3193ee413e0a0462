namespace NormCourse.Data;

/// <summary>
/// How <see cref="IdxDatasetLoader"/> looks for a dataset's files. The defaults search, in order, the folder
/// named by the dataset's environment variable, the repository's <c>data/&lt;name&gt;/</c>,
/// <c>/usr/share/datasets/&lt;name&gt;/</c> and the user cache, and then download into the cache.
/// </summary>
public sealed record DatasetLoadOptions
{
    /// <summary>Folders searched in order; null for the default order (see <see cref="IdxDatasetLoader.DefaultSearchFolders"/>).</summary>
    public IReadOnlyList<string>? SearchFolders { get; init; }

    /// <summary>The folder downloads go to (and are searched in, after <see cref="SearchFolders"/>); null for the user cache.</summary>
    public string? CacheFolder { get; init; }

    /// <summary>Base URLs to download from instead of the dataset's own mirrors (tests point this at 127.0.0.1).</summary>
    public IReadOnlyList<Uri>? Mirrors { get; init; }

    /// <summary>Whether a file found nowhere may be downloaded.</summary>
    public bool AllowDownload { get; init; } = true;

    /// <summary>The client downloads use; null for a new one per load. Not disposed by the loader.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>How long one file's download may take before it counts as failed.</summary>
    public TimeSpan DownloadTimeout { get; init; } = TimeSpan.FromMinutes(10);
}

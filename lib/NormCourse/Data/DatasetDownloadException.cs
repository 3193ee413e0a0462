namespace NormCourse.Data;

/// <summary>
/// A dataset file was in no local folder and could not be downloaded from any mirror. The message lists
/// where it was looked for and why each mirror failed; nothing was left in the cache.
/// </summary>
public sealed class DatasetDownloadException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="fileName">The file that could not be had.</param>
    /// <param name="message">Where it was looked for and what went wrong.</param>
    /// <param name="failures">Each mirror's failure, in the order tried.</param>
    public DatasetDownloadException(string fileName, string message, IReadOnlyList<Exception> failures)
        : base(message, failures.Count == 0 ? null : new AggregateException(failures))
    {
        FileName = fileName;
        Failures = failures;
    }

    /// <summary>The file that could not be had.</summary>
    public string FileName { get; }

    /// <summary>Each mirror's failure, in the order tried.</summary>
    public IReadOnlyList<Exception> Failures { get; }
}

namespace NormCourse.Data;

/// <summary>
/// A dataset file's decompressed bytes do not have the expected SHA-256: the file is corrupt, truncated, or
/// not the one the course expects. The message names the file and both hashes.
/// </summary>
public sealed class DatasetChecksumException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file (or resource, or URL) whose content was checked.</param>
    /// <param name="expectedSha256">The SHA-256 the course expects.</param>
    /// <param name="actualSha256">The SHA-256 of what was read.</param>
    public DatasetChecksumException(string path, string expectedSha256, string actualSha256)
        : base($"SHA-256 mismatch for '{path}' (of its decompressed bytes): expected {expectedSha256}, got {actualSha256}. " +
               "The file is corrupt or not the expected one; delete or replace it.")
    {
        Path = path;
        ExpectedSha256 = expectedSha256;
        ActualSha256 = actualSha256;
    }

    /// <summary>The file (or resource, or URL) whose content was checked.</summary>
    public string Path { get; }

    /// <summary>The SHA-256 the course expects.</summary>
    public string ExpectedSha256 { get; }

    /// <summary>The SHA-256 of what was read.</summary>
    public string ActualSha256 { get; }
}

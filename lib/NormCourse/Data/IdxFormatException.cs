namespace NormCourse.Data;

/// <summary>
/// An IDX file (or stream) is malformed. <see cref="Kind"/> says how; the message names the source and the bytes
/// concerned (for a truncation, the expected and the actual number of bytes).
/// </summary>
/// <remarks>
/// Derives from <see cref="IOException"/>, as a bad file is an input failure (<see cref="InvalidDataException"/>,
/// the natural parent, is sealed). A reader that throws it has returned nothing: no half-loaded array escapes.
/// </remarks>
public sealed class IdxFormatException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What is wrong.</param>
    /// <param name="source">The file or stream concerned, as shown to the user.</param>
    /// <param name="detail">What was found, in a sentence.</param>
    /// <param name="inner">The underlying exception, for example the decompressor's.</param>
    public IdxFormatException(IdxErrorKind kind, string source, string detail, Exception? inner = null)
        : base($"IDX '{source}': {detail}", inner)
    {
        Kind = kind;
        SourceName = source;
    }

    /// <summary>What is wrong.</summary>
    public IdxErrorKind Kind { get; }

    /// <summary>The file or stream concerned.</summary>
    public string SourceName { get; }
}

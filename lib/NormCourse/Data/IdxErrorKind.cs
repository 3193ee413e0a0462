namespace NormCourse.Data;

/// <summary>What is wrong with an IDX file; carried by <see cref="IdxFormatException"/> so callers and tests can tell failures apart.</summary>
public enum IdxErrorKind
{
    /// <summary>The file or stream holds no bytes at all.</summary>
    Empty,

    /// <summary>The first two bytes are not zero, so this is not an IDX file.</summary>
    WrongMagic,

    /// <summary>The type byte names an element type other than unsigned byte (0x08).</summary>
    UnsupportedType,

    /// <summary>The number of dimensions is not the one the caller expects (3 for images, 1 for labels), or is zero.</summary>
    WrongRank,

    /// <summary>The dimension sizes multiply to more values than the data can hold, or more than one array can hold.</summary>
    AbsurdDimensions,

    /// <summary>The header or the data ends before the sizes say it should.</summary>
    Truncated,

    /// <summary>More bytes follow the data than the sizes account for.</summary>
    TrailingData,

    /// <summary>The stream starts like gzip (1F 8B) but does not decompress.</summary>
    CorruptGzip,

    /// <summary>An image file and its label file disagree on the number of items.</summary>
    CountMismatch,

    /// <summary>A label is not a valid class index.</summary>
    InvalidLabel,
}

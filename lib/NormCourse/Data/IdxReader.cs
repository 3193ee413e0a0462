using System.Buffers.Binary;
using System.IO.Compression;

namespace NormCourse.Data;

/// <summary>
/// Reads IDX files of unsigned bytes (the format of MNIST and Fashion-MNIST), gzip-compressed or plain.
/// </summary>
/// <remarks>
/// The format: two zero bytes, a type byte (0x08 = unsigned byte), a byte giving the number of dimensions,
/// one big-endian 32-bit size per dimension, then the values row-major. A gzip stream is recognised by its
/// magic bytes 1F 8B, not by the file name.
/// <para>
/// Every way a file can be wrong raises an <see cref="IdxFormatException"/> whose <see cref="IdxFormatException.Kind"/>
/// says which, and nothing is returned. Sizes are checked before the data array is allocated: against the
/// stream's length when it is known, and otherwise by growing the buffer only as bytes actually arrive, so a
/// header that claims gigabytes cannot make the reader allocate them.
/// </para>
/// </remarks>
public static class IdxReader
{
    /// <summary>The type byte of unsigned 8-bit values, the only element type the course needs.</summary>
    public const byte UnsignedByteType = 0x08;

    // A buffer starts at most this large and doubles as data arrives (streams of unknown length).
    private const int InitialChunk = 1 << 20;

    /// <summary>Reads an IDX file (gzip or plain) of any rank.</summary>
    /// <param name="path">The file.</param>
    /// <param name="expectedRank">The number of dimensions required (3 for images, 1 for labels), or null for any.</param>
    /// <exception cref="IdxFormatException">The file is malformed.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IdxArray Read(string path, int? expectedRank = null)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(file, path, expectedRank);
    }

    /// <summary>Reads an IDX array from a stream (gzip or plain), to its end.</summary>
    /// <param name="stream">The bytes; read to the end, not disposed.</param>
    /// <param name="sourceName">How the stream is named in error messages (a file name).</param>
    /// <param name="expectedRank">The number of dimensions required, or null for any.</param>
    /// <exception cref="IdxFormatException">The bytes are not a well-formed IDX array of unsigned bytes.</exception>
    public static IdxArray Read(Stream stream, string sourceName, int? expectedRank = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> magic = stackalloc byte[2];
        int got = ReadAtMost(stream, magic, sourceName, gzip: false);
        if (got == 0) throw new IdxFormatException(IdxErrorKind.Empty, sourceName, "the file is empty (0 bytes).");
        var replay = new ReplayStream(magic[..got].ToArray(), stream);
        if (got == 2 && magic[0] == 0x1F && magic[1] == 0x8B)
        {
            using var gz = new GZipStream(replay, CompressionMode.Decompress, leaveOpen: true);
            return ReadIdx(gz, sourceName, expectedRank, knownLength: null, gzip: true);
        }
        long? length = stream.CanSeek ? stream.Length - stream.Position + got : null;
        return ReadIdx(replay, sourceName, expectedRank, length, gzip: false);
    }

    /// <summary>Reads an IDX array held in memory (gzip or plain).</summary>
    /// <inheritdoc cref="Read(Stream, string, int?)"/>
    public static IdxArray Parse(byte[] bytes, string sourceName, int? expectedRank = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var ms = new MemoryStream(bytes, writable: false);
        return Read(ms, sourceName, expectedRank);
    }

    /// <summary>
    /// Reads an image file (idx3: count, rows, cols) and its label file (idx1: count) and checks that they
    /// hold the same number of items.
    /// </summary>
    /// <exception cref="IdxFormatException">Either file is malformed, or the counts disagree (<see cref="IdxErrorKind.CountMismatch"/>).</exception>
    public static (IdxArray Images, IdxArray Labels) ReadPair(string imagesPath, string labelsPath)
    {
        var images = Read(imagesPath, expectedRank: 3);
        var labels = Read(labelsPath, expectedRank: 1);
        CheckPair(images, labels, imagesPath, labelsPath);
        return (images, labels);
    }

    /// <summary>Throws <see cref="IdxErrorKind.CountMismatch"/> unless the images and the labels count the same items.</summary>
    public static void CheckPair(IdxArray images, IdxArray labels, string imagesName, string labelsName)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Count != labels.Count)
            throw new IdxFormatException(IdxErrorKind.CountMismatch, imagesName,
                $"it holds {images.Count} images but '{labelsName}' holds {labels.Count} labels.");
    }

    private static IdxArray ReadIdx(Stream s, string source, int? expectedRank, long? knownLength, bool gzip)
    {
        Span<byte> head = stackalloc byte[4];
        int got = ReadAtMost(s, head, source, gzip);
        if (got == 0 && gzip) throw new IdxFormatException(IdxErrorKind.Empty, source, "the gzip stream decompresses to 0 bytes.");
        if (got >= 2 && (head[0] != 0 || head[1] != 0))
            throw new IdxFormatException(IdxErrorKind.WrongMagic, source,
                $"wrong magic: the first two bytes are {head[0]:X2} {head[1]:X2}, an IDX file starts with 00 00.");
        if (got < 4)
            throw new IdxFormatException(IdxErrorKind.Truncated, source, $"truncated header: expected 4 bytes, got {got}.");
        if (head[2] != UnsignedByteType)
            throw new IdxFormatException(IdxErrorKind.UnsupportedType, source,
                $"unsupported element type 0x{head[2]:X2} ({TypeName(head[2])}); only 0x08 (unsigned byte) is supported.");
        int rank = head[3];
        if (rank == 0 || (expectedRank is { } r && rank != r))
            throw new IdxFormatException(IdxErrorKind.WrongRank, source,
                $"the header declares {rank} dimensions; expected {(expectedRank is { } e ? e.ToString() : "at least 1")}.");

        var dimBytes = new byte[4 * rank];
        got = ReadAtMost(s, dimBytes, source, gzip);
        if (got < dimBytes.Length)
            throw new IdxFormatException(IdxErrorKind.Truncated, source,
                $"truncated header: expected {4 + dimBytes.Length} bytes, got {4 + got}.");
        var dims = new long[rank];
        for (int i = 0; i < rank; i++) dims[i] = BinaryPrimitives.ReadUInt32BigEndian(dimBytes.AsSpan(4 * i));
        // One item and the whole array must each fit in one .NET array; checked before anything is allocated.
        // Each product is tested before it can overflow: a factor is at most 2^32 and a kept product at most 2^31.
        long tail = 1;
        bool absurd = false;
        for (int i = 1; i < rank && !absurd; i++)
        {
            tail *= dims[i];
            absurd = tail > Array.MaxLength;
        }
        absurd = absurd || dims[0] > Array.MaxLength || dims[0] * tail > Array.MaxLength;
        if (absurd)
            throw new IdxFormatException(IdxErrorKind.AbsurdDimensions, source,
                $"absurd dimensions ({string.Join(" x ", dims)}): more values than one array can hold.");
        var shape = Array.ConvertAll(dims, d => (int)d);
        long total = dims[0] * tail;
        long header = 4 + 4L * rank;
        if (knownLength is { } len && len - header < total)
            throw new IdxFormatException(IdxErrorKind.Truncated, source,
                $"truncated data: dimensions ({string.Join(" x ", shape)}) need {total} bytes after the {header}-byte header, " +
                $"but only {len - header} follow.");

        var data = ReadData(s, (int)total, source, gzip, header);
        Span<byte> extra = stackalloc byte[1];
        if (ReadAtMost(s, extra, source, gzip) > 0)
            throw new IdxFormatException(IdxErrorKind.TrailingData, source,
                knownLength is { } l
                    ? $"{l - header - total} bytes of trailing data after the {total} bytes the dimensions ({string.Join(" x ", shape)}) account for."
                    : $"trailing data after the {total} bytes the dimensions ({string.Join(" x ", shape)}) account for.");
        return new IdxArray(shape, data);
    }

    // Grows the buffer only as bytes arrive, so a lying header costs at most twice the bytes really present.
    private static byte[] ReadData(Stream s, int total, string source, bool gzip, long header)
    {
        var buffer = new byte[Math.Min(total, InitialChunk)];
        int filled = 0;
        while (true)
        {
            int n = ReadAtMost(s, buffer.AsSpan(filled), source, gzip);
            filled += n;
            if (filled == total) return buffer;
            if (filled < buffer.Length)
                throw new IdxFormatException(IdxErrorKind.Truncated, source,
                    $"truncated data: expected {total} bytes after the {header}-byte header, got {filled}.");
            Array.Resize(ref buffer, (int)Math.Min(total, 2L * buffer.Length));
        }
    }

    // Fills the span unless the stream ends first; returns the count read. Decompression errors become CorruptGzip.
    private static int ReadAtMost(Stream s, Span<byte> into, string source, bool gzip)
    {
        int total = 0;
        try
        {
            while (total < into.Length)
            {
                int n = s.Read(into[total..]);
                if (n == 0) break;
                total += n;
            }
        }
        catch (InvalidDataException ex) when (gzip)
        {
            throw new IdxFormatException(IdxErrorKind.CorruptGzip, source,
                $"corrupt gzip after {total} decompressed bytes: {ex.Message}", ex);
        }
        return total;
    }

    private static string TypeName(byte type) => type switch
    {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "not an IDX type",
    };
}

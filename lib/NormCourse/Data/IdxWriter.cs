using System.Buffers.Binary;
using System.IO.Compression;

namespace NormCourse.Data;

/// <summary>
/// Writes IDX files of unsigned bytes, gzip-compressed or plain: the converter of the embedded MNIST uses it,
/// and tests use it to make well-formed and malformed files.
/// </summary>
public static class IdxWriter
{
    /// <summary>Writes the header (00 00 08 rank, then each size big-endian) and the values to a stream.</summary>
    /// <param name="stream">The destination; not disposed.</param>
    /// <param name="array">The shape and the values.</param>
    /// <param name="gzip">Compress with gzip (smallest size) when true.</param>
    public static void Write(Stream stream, IdxArray array, bool gzip)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        if (gzip)
        {
            using var gz = new GZipStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
            WritePlain(gz, array);
        }
        else
        {
            WritePlain(stream, array);
        }
    }

    /// <summary>
    /// Writes an IDX file, gzip-compressed when <paramref name="path"/> ends in <c>.gz</c>. The bytes go to a
    /// temporary file in the same folder that is renamed over <paramref name="path"/> only once complete.
    /// </summary>
    public static void WriteFile(string path, IdxArray array)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string temp = full + $".{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                Write(file, array, gzip: full.EndsWith(".gz", StringComparison.OrdinalIgnoreCase));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>The IDX bytes of <paramref name="array"/>, gzip-compressed or plain.</summary>
    public static byte[] ToBytes(IdxArray array, bool gzip)
    {
        using var ms = new MemoryStream();
        Write(ms, array, gzip);
        return ms.ToArray();
    }

    private static void WritePlain(Stream s, IdxArray array)
    {
        Span<byte> header = stackalloc byte[4 + 4 * array.Rank];
        header[..2].Clear();
        header[2] = IdxReader.UnsignedByteType;
        header[3] = (byte)array.Rank;
        for (int i = 0; i < array.Rank; i++)
            BinaryPrimitives.WriteInt32BigEndian(header[(4 + 4 * i)..], array.Shape[i]);
        s.Write(header);
        s.Write(array.Data);
    }
}

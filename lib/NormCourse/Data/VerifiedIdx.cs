using System.IO.Compression;
using System.Security.Cryptography;

namespace NormCourse.Data;

/// <summary>
/// Reads a dataset file whose decompressed bytes must have a known SHA-256, and parses it only once verified.
/// </summary>
internal static class VerifiedIdx
{
    /// <summary>Reads <paramref name="path"/> (gzip or plain), verifies it against <paramref name="spec"/>, parses it.</summary>
    public static IdxArray Load(string path, IdxFileSpec spec, int expectedRank)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Load(file, path, spec, expectedRank);
    }

    /// <summary>Reads a stream (gzip or plain) to its end, verifies it against <paramref name="spec"/>, parses it.</summary>
    /// <exception cref="DatasetChecksumException">The decompressed bytes have another SHA-256.</exception>
    /// <exception cref="IdxFormatException">The gzip is corrupt, or the verified bytes are not IDX (a wrong table).</exception>
    public static IdxArray Load(Stream stream, string sourceName, IdxFileSpec spec, int expectedRank)
    {
        Span<byte> magic = stackalloc byte[2];
        int got = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        Stream body = new ReplayStream(magic[..got].ToArray(), stream);
        bool gzip = got == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        if (gzip) body = new GZipStream(body, CompressionMode.Decompress);
        using (body)
        {
            try
            {
                return LoadPlain(body, sourceName, spec, expectedRank);
            }
            catch (InvalidDataException ex) when (gzip)
            {
                throw new IdxFormatException(IdxErrorKind.CorruptGzip, sourceName, $"corrupt gzip: {ex.Message}", ex);
            }
        }
    }

    // Keeps exactly the expected number of bytes in memory and hashes everything, so a wrong file still gets an
    // honest hash in the error without holding more than the expected length.
    private static IdxArray LoadPlain(Stream body, string sourceName, IdxFileSpec spec, int expectedRank)
    {
        var buffer = new byte[(int)Math.Min(spec.Length, Array.MaxLength)];
        int n = body.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(buffer, 0, n);
        bool longer = false;
        var scratch = new byte[1 << 16];
        int m;
        while ((m = body.Read(scratch)) > 0)
        {
            longer = true;
            hash.AppendData(scratch, 0, m);
        }
        string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (longer || n != buffer.Length || !string.Equals(actual, spec.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new DatasetChecksumException(sourceName, spec.Sha256, actual);
        return IdxReader.Parse(buffer, sourceName, expectedRank);
    }
}

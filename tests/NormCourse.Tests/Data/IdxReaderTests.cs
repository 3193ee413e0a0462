using CsCheck;
using NormCourse.Data;

namespace NormCourse.Tests.Data;

public class IdxReaderTests
{
    private static IdxFormatException Fails(byte[] bytes, int? rank = null) =>
        Assert.Throws<IdxFormatException>(() => IdxReader.Parse(bytes, "test.idx", rank));

    [Fact]
    public void Reads_hand_made_plain_and_gzip_files()
    {
        var data = IdxBytes.RandomBytes(3 * 4 * 5, seed: 1);
        var plain = IdxBytes.Make([3, 4, 5], data);
        foreach (var bytes in new[] { plain, IdxBytes.Gzip(plain) })
        {
            var a = IdxReader.Parse(bytes, "x", expectedRank: 3);
            Assert.Equal([3, 4, 5], a.Shape.ToArray());
            Assert.Equal(data, a.Data);
            Assert.Equal(20, a.ItemLength);
        }
    }

    [Fact]
    public void Writer_output_has_the_format_s_bytes_and_reads_back()
    {
        var data = IdxBytes.RandomBytes(7, seed: 2);
        var array = new IdxArray([7], data);
        Assert.Equal(IdxBytes.Make([7], data), IdxWriter.ToBytes(array, gzip: false));
        Assert.Equal(IdxBytes.Make([7], data), IdxBytes.Gunzip(IdxWriter.ToBytes(array, gzip: true)));
        string path = Path.Combine(Path.GetTempPath(), $"normcourse-idx-{Guid.NewGuid():N}.gz");
        try
        {
            IdxWriter.WriteFile(path, array);
            Assert.Equal(data, IdxReader.Read(path, 1).Data);
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Zero_length_file_is_empty()
    {
        Assert.Equal(IdxErrorKind.Empty, Fails([]).Kind);
        Assert.Equal(IdxErrorKind.Empty, Fails(IdxBytes.Gzip([])).Kind);
    }

    [Fact]
    public void Wrong_magic_names_the_bytes()
    {
        var bytes = IdxBytes.Make([2], [1, 2]);
        bytes[0] = 0x50;
        bytes[1] = 0x4B; // a zip file, say
        var ex = Fails(bytes);
        Assert.Equal(IdxErrorKind.WrongMagic, ex.Kind);
        Assert.Contains("50 4B", ex.Message);
        Assert.Contains("test.idx", ex.Message);
    }

    [Fact]
    public void Unsupported_type_byte_is_named()
    {
        var ex = Fails(IdxBytes.Make([1], [0, 0, 0, 0], type: 0x0D));
        Assert.Equal(IdxErrorKind.UnsupportedType, ex.Kind);
        Assert.Contains("0x0D", ex.Message);
        Assert.Contains("float32", ex.Message);
    }

    [Fact]
    public void Rank_must_match_what_the_caller_expects()
    {
        Assert.Equal(IdxErrorKind.WrongRank, Fails(IdxBytes.Make([4], [1, 2, 3, 4]), rank: 3).Kind);
        Assert.Equal(IdxErrorKind.WrongRank, Fails([0, 0, 8, 0]).Kind);
    }

    [Fact]
    public void Truncated_data_reports_expected_and_actual_bytes()
    {
        var full = IdxBytes.Make([10, 28, 28], IdxBytes.RandomBytes(7840, seed: 3));
        var cut = full[..(full.Length - 100)];
        var ex = Fails(cut);
        Assert.Equal(IdxErrorKind.Truncated, ex.Kind);
        Assert.Contains("7840", ex.Message);
        Assert.Contains("7740", ex.Message);
        var gz = Fails(IdxBytes.Gzip(cut));
        Assert.Equal(IdxErrorKind.Truncated, gz.Kind);
        Assert.Contains("expected 7840 bytes", gz.Message);
        Assert.Contains("got 7740", gz.Message);
    }

    [Fact]
    public void Truncated_header_is_truncated()
    {
        Assert.Equal(IdxErrorKind.Truncated, Fails([0, 0, 8]).Kind);
        Assert.Equal(IdxErrorKind.Truncated, Fails([0, 0, 8, 3, 0, 0, 0, 10, 0]).Kind);
    }

    [Fact]
    public void Trailing_bytes_are_rejected()
    {
        var bytes = IdxBytes.Make([2], [1, 2]).Concat(new byte[] { 9, 9, 9 }).ToArray();
        var ex = Fails(bytes);
        Assert.Equal(IdxErrorKind.TrailingData, ex.Kind);
        Assert.Contains("3 bytes", ex.Message);
        Assert.Equal(IdxErrorKind.TrailingData, Fails(IdxBytes.Gzip(bytes)).Kind);
    }

    [Fact]
    public void Corrupt_gzip_is_reported_as_such()
    {
        var gz = IdxBytes.Gzip(IdxBytes.Make([100, 28, 28], IdxBytes.RandomBytes(78400, seed: 4)));
        // Deflate's first block header right after the 10-byte gzip header: block type 11 is reserved (RFC 1951).
        var badBlock = (byte[])gz.Clone();
        badBlock[10] = 0xFF;
        // The CRC-32 of the trailer (RFC 1952) no longer matches the data.
        var badCrc = (byte[])gz.Clone();
        badCrc[^8] ^= 0xFF;
        foreach (var bytes in new[] { badBlock, badCrc })
        {
            var ex = Fails(bytes);
            Assert.Equal(IdxErrorKind.CorruptGzip, ex.Kind);
            Assert.IsAssignableFrom<InvalidDataException>(ex.InnerException);
        }
    }

    [Fact]
    public void Image_and_label_counts_must_agree()
    {
        var images = new IdxArray([3, 2, 2], new byte[12]);
        var labels = new IdxArray([4], new byte[4]);
        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.CheckPair(images, labels, "imgs", "lbls"));
        Assert.Equal(IdxErrorKind.CountMismatch, ex.Kind);
        Assert.Contains("3 images", ex.Message);
        Assert.Contains("4 labels", ex.Message);
    }

    [Fact]
    public void Label_outside_the_classes_is_rejected()
    {
        var images = new IdxArray([2, 2, 2], new byte[8]);
        var labels = new IdxArray([2], [3, 10]);
        var ex = Assert.Throws<IdxFormatException>(() => Preprocess.FromIdx("t", images, labels, numClasses: 10));
        Assert.Equal(IdxErrorKind.InvalidLabel, ex.Kind);
        Assert.Contains("label 10 at item 1", ex.Message);
    }

    [Theory]
    [InlineData(new uint[] { 0xFFFFFFFF, 28, 28 })]
    [InlineData(new uint[] { 60000, 0xFFFFFF, 0xFFFFFF })]
    [InlineData(new uint[] { 0, 0x80000000, 0x80000000 })]
    public void Absurd_dimensions_fail_without_allocating(uint[] sizes)
    {
        var bytes = IdxBytes.MakeRaw(sizes, new byte[16]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Fails(bytes);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(IdxErrorKind.AbsurdDimensions, ex.Kind);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void A_header_claiming_a_gigabyte_in_a_small_file_is_truncated_before_allocating()
    {
        var sizes = new uint[] { 1_000_000, 1000 }; // 1e9 bytes, within one array's limit
        foreach (var (bytes, gzip) in new[] { (IdxBytes.MakeRaw(sizes, new byte[500]), false), (IdxBytes.Gzip(IdxBytes.MakeRaw(sizes, new byte[500])), true) })
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var ex = Fails(bytes);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(IdxErrorKind.Truncated, ex.Kind);
            Assert.Contains("1000000000", ex.Message);
            Assert.True(allocated < 8 << 20, $"gzip={gzip}: allocated {allocated} bytes");
        }
    }

    [Fact]
    public void Random_bytes_and_truncations_raise_only_IdxFormatException()
    {
        var valid = IdxBytes.Make([5, 3, 3], IdxBytes.RandomBytes(45, seed: 5));
        var validGz = IdxBytes.Gzip(valid);
        var inputs = Gen.OneOf(
            Gen.Byte.Array[0, 64],
            Gen.Int[0, valid.Length].Select(n => valid[..n]),
            Gen.Int[0, validGz.Length].Select(n => validGz[..n]),
            Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte, (i, b) => { var c = (byte[])valid.Clone(); c[i] = b; return c; }),
            Gen.Select(Gen.Int[0, validGz.Length - 1], Gen.Byte, (i, b) => { var c = (byte[])validGz.Clone(); c[i] ^= (byte)(b | 1); return c; }),
            Gen.Byte.Array[0, 40].Select(tail => new byte[] { 0, 0, 8, (byte)(tail.Length % 5) }.Concat(tail).ToArray()));
        inputs.Sample(bytes =>
        {
            // Each parse on a thread of its own, so that a parse that never ends is reported with its input instead of
            // stalling the run. Its own thread and a generous bound, because a thread-pool task could wait longer than
            // 5 s just to start while the notebook tests load both cores: a 19-byte input that parses in microseconds
            // was once reported as a hang that way.
            var task = Task.Factory.StartNew(() =>
            {
                try
                {
                    IdxReader.Parse(bytes, "fuzz");
                    return null;
                }
                catch (IdxFormatException)
                {
                    return null;
                }
                catch (Exception ex)
                {
                    return ex;
                }
            }, TaskCreationOptions.LongRunning);
            Assert.True(task.Wait(TimeSpan.FromSeconds(60)), $"hang on {Convert.ToHexString(bytes)}");
            Assert.True(task.Result is null, $"{task.Result?.GetType().Name}: {task.Result?.Message} on {Convert.ToHexString(bytes)}");
        }, iter: 3000, threads: 1);
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NormCourse.Tensors;

namespace NormCourse.Tests.Tensors;

public class TensorStorageTests
{
    private static unsafe long Address<T>(Tensor<T> t) where T : unmanaged, IFloatingPointIeee754<T> =>
        (long)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.Span));

    [Theory]
    [InlineData(256, 1024)]
    [InlineData(4096, 256)]
    [InlineData(1, 21_250)]    // 85,000 bytes of floats: the first large size
    [InlineData(3, 9_001)]
    public void Large_tensors_start_on_a_cache_line_one_after_another(int rows, int columns)
    {
        // .NET alone puts consecutive arrays of one size 56 bytes apart modulo 64: a run of nine lands on every offset.
        var floats = Enumerable.Range(0, 9).Select(_ => Tensor<float>.Zeros(rows, columns)).ToList();
        var doubles = Enumerable.Range(0, 9).Select(_ => Tensor<double>.Zeros(rows, (columns + 1) / 2)).ToList();
        foreach (var t in floats) Assert.Equal(0, Address(t) % 64);
        foreach (var t in doubles) Assert.Equal(0, Address(t) % 64);
        Assert.All(floats, t => Assert.Equal(rows * columns, t.Data.Count));
        Assert.All(floats, t => Assert.True(t.Span.IndexOfAnyExcept(0f) < 0, "a new tensor is not all zeros"));
    }

    [Fact]
    public void Small_tensors_are_whole_arrays()
    {
        var t = Tensor<float>.Zeros(60, 100);   // 24,000 bytes: below the large object heap's 85,000
        Assert.Equal(0, t.Data.Offset);
        Assert.Equal(t.Length, t.Data.Array!.Length);
        var just = Tensor<float>.Zeros(1, 21_249);
        Assert.Equal(just.Length, just.Data.Array!.Length);
    }

    [Fact]
    public void Data_span_indexer_reshape_and_clone_see_the_same_values()
    {
        var t = Tensor<float>.Zeros(256, 1024);
        Assert.NotEqual(0, t.Data.Offset + (t.Data.Array!.Length - t.Length));   // a segment of a longer array
        t.Data[5] = 3;
        t.Span[1024 + 7] = 2;
        t[255, 1023] = 9;
        Assert.Equal(3, t.Span[5]);
        Assert.Equal(2, t.Data[1024 + 7]);
        Assert.Equal(2, t[1, 7]);
        Assert.Equal(9, t.Data[^1]);
        Assert.Equal(3, t.Data.Max() - 6);

        var flat = t.Reshape(-1);
        flat.Span[6] = 4;
        Assert.Equal(4, t[0, 6]);

        var copy = t.Clone();
        Assert.Equal(0, Address(copy) % 64);
        Assert.True(copy.Span.SequenceEqual(t.Span));
        copy.Data[5] = -1;
        Assert.Equal(3, t.Data[5]);
        Assert.StartsWith("Tensor<Single> (256, 1024) [0, 0, 0, 0, 0, 3, 4, 0, …]", t.ToString());
    }
}

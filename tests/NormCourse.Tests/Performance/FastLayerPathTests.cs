using NormCourse.Layers;
using NormCourse.Normalization;
using NormCourse.Tensors;

namespace NormCourse.Tests.Performance;

/// <summary>
/// Whole layers in float32 (the vectorised kernels at the machine's widest width: LayerNorm and RMSNorm a row at a
/// time, GroupNorm and BatchNorm through the per-channel kernels with x̂ recomputed) against the same layers in float64
/// (the readable loops), on shapes with more rows than one block of the parameter-gradient sums and ragged vector
/// tails.
/// </summary>
public class FastLayerPathTests
{
    private static (Tensor<float> F, Tensor<double> D) Pair(int seed, int[] shape, double offset = 0)
    {
        var random = new Random(seed);
        var d = Tensor<double>.Zeros(shape);
        for (int i = 0; i < d.Length; i++) d.Span[i] = offset + random.NextDouble() * 4 - 2;
        var f = Tensor<float>.Zeros(shape);
        for (int i = 0; i < d.Length; i++) f.Span[i] = (float)d.Span[i];
        for (int i = 0; i < d.Length; i++) d.Span[i] = f.Span[i];    // both see the same float values
        return (f, d);
    }

    private static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"{what}[{i}]: float32 {actual[i]}, float64 {expected[i]}");
    }

    private static void SetParameters(Module<float> f, Module<double> d, int seed)
    {
        var random = new Random(seed);
        foreach (var ((_, pf), (_, pd)) in f.NamedParameters().Zip(d.NamedParameters()))
            for (int i = 0; i < pd.Value.Length; i++)
            {
                pd.Value.Span[i] = (float)(0.5 + random.NextDouble());
                pf.Value.Span[i] = (float)pd.Value.Span[i];
            }
    }

    // Far from zero, float32 resolves the mean only to half an ulp of the offset (3·10⁻⁵ at 1000), which moves every
    // x − μ by that much in both paths: the tolerance for y and dx grows with it.
    private static void Compare(Module<float> f, Module<double> d, int[] shape, double offset = 0)
    {
        SetParameters(f, d, 3);
        var (xf, xd) = Pair(1, shape, offset);
        var (dyf, dyd) = Pair(2, shape);
        double resolution = 2e-5 + 2 * offset * Math.Pow(2, -24);
        Close(d.Forward(xd).Span, f.Forward(xf).Span, resolution, "y");
        Close(d.Backward(dyd).Span, f.Backward(dyf).Span, 10 * resolution, "dx");
        foreach (var ((name, pf), (_, pd)) in f.NamedParameters().Zip(d.NamedParameters()))
            Close(pd.Grad.Span, pf.Grad.Span, 2e-5, "d" + name);
    }

    [Theory]
    [InlineData(70, 40)]
    [InlineData(5, 1027)]
    [InlineData(33, 16)]
    public void LayerNorm_float_equals_float64(int rows, int d)
    {
        Compare(new LayerNorm<float>(d), new LayerNorm<double>(d), [rows, d]);
        Compare(new LayerNorm<float>(d, elementwiseAffine: false), new LayerNorm<double>(d, elementwiseAffine: false), [rows, d], offset: 1000);
    }

    [Theory]
    [InlineData(70, 40)]
    [InlineData(5, 1027)]
    public void RMSNorm_float_equals_float64(int rows, int d)
    {
        // The same ε for both: PyTorch's default is each type's own machine epsilon.
        Compare(new RMSNorm<float>(d, eps: 1e-6), new RMSNorm<double>(d, eps: 1e-6), [rows, d]);
    }

    [Theory]
    [InlineData(3, 6, 2, 5)]
    [InlineData(4, 32, 8, 1)]
    [InlineData(2, 16, 4, 49)]
    public void GroupNorm_float_equals_float64(int n, int c, int groups, int spatial)
    {
        Compare(new GroupNorm<float>(groups, c), new GroupNorm<double>(groups, c), [n, c, spatial]);
    }

    [Theory]
    [InlineData(60, 100)]
    [InlineData(37, 1024)]
    [InlineData(8, 600_000)]   // 8–10 MB of per-channel float constants: through the stack 4096 channels at a time
    public void BatchNorm1d_float_equals_float64_in_both_modes(int n, int c)
    {
        foreach (bool training in new[] { true, false })
        {
            var (f, d) = (new BatchNorm1d<float>(c), new BatchNorm1d<double>(c));
            f.Train(training);
            d.Train(training);
            Compare(f, d, [n, c], offset: 50);
        }
    }

    [Fact]
    public void BatchNorm2d_and_BatchRenorm2d_in_channel_blocks_equal_float64()
    {
        // 2·160·160 = 51,200 values per channel: more than half a block, so each channel is a block of its own.
        int[] shape = [2, 3, 160, 160];
        foreach (bool training in new[] { true, false })
        {
            var (f, d) = (new BatchNorm2d<float>(3), new BatchNorm2d<double>(3));
            f.Train(training);
            d.Train(training);
            Compare(f, d, shape, offset: 5);
            var (rf, rd) = (new BatchRenorm2d<float>(3), new BatchRenorm2d<double>(3));
            rf.Train(training);
            rd.Train(training);
            Compare(rf, rd, shape, offset: 5);
        }
    }
}

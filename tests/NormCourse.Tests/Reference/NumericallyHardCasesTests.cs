using NormCourse.Layers;
using NormCourse.Normalization;
using NormCourse.Tensors;

namespace NormCourse.Tests.Reference;

/// <summary>
/// The numerical pitfalls of normalization-semantics.md §6, with closed-form answers.
/// x_i = base + (i mod 7) − 3 for i &lt; 7000 is 1000 whole cycles of −3…3 on top of a large offset. Its mean is
/// exactly base and its biased variance exactly 4 (Σk²/7 = 28/7). In float32 a one-pass E[x²]−E[x]² gives
/// 3856 at base 1e4 and 1.4e8 at base 1e6. Constant features have variance 0 and must still give finite
/// outputs.
/// </summary>
public sealed class NumericallyHardCasesTests
{
    private const int Count = 7000;
    private const double TrueVariance = 4.0;
    private const double Eps = 1e-5;
    private const double Tolerance = 1e-3;

    public static TheoryData<double> Bases() => new() { 0, 100, 1e4, 1e6 };

    /// <summary>The table's input. Every value is an integer below 2²⁴ + 2²⁰, so exact in float32.</summary>
    private static float[] OffsetTable(double offset) =>
        Enumerable.Range(0, Count).Select(i => (float)(offset + i % 7 - 3)).ToArray();

    /// <summary>
    /// y_i must be k_i/√(4+eps), where k_i = (i mod 7) − 3, within 1e-3 (|y| ≤ 1.5). The variance the
    /// layer used, recovered as Σk²/Σy² − eps, must be 4 within 1e-3.
    /// </summary>
    private static void AssertNormalizedWithVarianceFour(ReadOnlySpan<float> y, string what)
    {
        double sumK2 = 0, sumY2 = 0;
        double invStd = 1 / Math.Sqrt(TrueVariance + Eps);
        for (int i = 0; i < y.Length; i++)
        {
            int k = i % 7 - 3;
            Assert.True(Math.Abs(y[i] - k * invStd) <= Tolerance, $"{what}: y[{i}] = {y[i]}, expected {k * invStd}.");
            sumK2 += k * k;
            sumY2 += (double)y[i] * y[i];
        }
        double implied = sumK2 / sumY2 - Eps;
        Assert.True(Math.Abs(implied - TrueVariance) <= Tolerance, $"{what}: the outputs imply variance {implied}, expected 4.");
    }

    [Theory]
    [MemberData(nameof(Bases))]
    public void BatchNorm1d_with_large_offset_sees_variance_four(double offset)
    {
        var bn = new BatchNorm1d<float>(1, momentum: 1.0);
        var y = bn.Forward(Tensor<float>.FromArray(OffsetTable(offset), Count, 1));
        AssertNormalizedWithVarianceFour(y.Span, $"BatchNorm1d, base {offset}");
        // momentum 1: the running buffers are this batch's mean and unbiased variance, 4·m/(m−1).
        Assert.Equal(TrueVariance * Count / (Count - 1), bn.RunningVar![0], Tolerance);
        Assert.Equal(offset, bn.RunningMean![0], Tolerance);
    }

    [Theory]
    [MemberData(nameof(Bases))]
    public void BatchNorm2d_with_large_offset_sees_variance_four(double offset)
    {
        var bn = new BatchNorm2d<float>(1, momentum: 1.0);
        var y = bn.Forward(Tensor<float>.FromArray(OffsetTable(offset), 1, 1, 70, 100));
        AssertNormalizedWithVarianceFour(y.Span, $"BatchNorm2d, base {offset}");
        Assert.Equal(TrueVariance * Count / (Count - 1), bn.RunningVar![0], Tolerance);
    }

    [Theory]
    [MemberData(nameof(Bases))]
    public void LayerNorm_with_large_offset_sees_variance_four(double offset)
    {
        var ln = new LayerNorm<float>(Count);
        var y = ln.Forward(Tensor<float>.FromArray(OffsetTable(offset), 1, Count));
        AssertNormalizedWithVarianceFour(y.Span, $"LayerNorm, base {offset}");
    }

    [Theory]
    [MemberData(nameof(Bases))]
    public void GroupNorm_with_large_offset_sees_variance_four(double offset)
    {
        // Four channels of 35·50 values. G=1 takes all 7000 values at once. G=2 takes 3500 each, and 3500 is
        // 500 whole cycles, so each group also has mean `base` and variance 4.
        foreach (int groups in new[] { 1, 2 })
        {
            var gn = new GroupNorm<float>(groups, 4);
            var y = gn.Forward(Tensor<float>.FromArray(OffsetTable(offset), 1, 4, 35, 50));
            AssertNormalizedWithVarianceFour(y.Span, $"GroupNorm G={groups}, base {offset}");
        }
    }

    // ---- Constant features: variance 0, output β (x − μ is exactly 0), every value finite. ----

    private const float Constant = 10000.1f;

    private static float[] RandomValues(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
    }

    private static void SetAffine(Parameter<float>? weight, Parameter<float>? bias)
    {
        if (weight is not null)
            for (int i = 0; i < weight.Value.Length; i++) weight.Value.Span[i] = 1.5f + 0.25f * i;
        if (bias is not null)
            for (int i = 0; i < bias.Value.Length; i++) bias.Value.Span[i] = 0.5f - 0.125f * i;
    }

    private static void AssertFinite(Tensor<float> t, string what)
    {
        for (int i = 0; i < t.Length; i++)
            Assert.True(float.IsFinite(t.Data[i]), $"{what}: value [{i}] is {t.Data[i]}.");
    }

    /// <summary>Forward and backward in the current mode; asserts finiteness and returns a copy of the output.</summary>
    private static float[] RunFinite(Module<float> layer, Tensor<float> x, string what)
    {
        layer.ZeroGrad();
        var y = layer.Forward(x);
        AssertFinite(y, $"{what} output");
        var output = y.Data.ToArray();
        AssertFinite(layer.Backward(Tensor<float>.FromArray(RandomValues(x.Length, 7), x.Shape.ToArray())), $"{what} grad_input");
        foreach (var (name, p) in layer.NamedParameters()) AssertFinite(p.Grad, $"{what} grad of {name}");
        return output;
    }

    [Fact]
    public void BatchNorm1d_constant_feature_outputs_its_bias()
    {
        var bn = new BatchNorm1d<float>(3);
        SetAffine(bn.Weight, bn.Bias);
        var data = RandomValues(8 * 3, 1);
        for (int n = 0; n < 8; n++) data[n * 3 + 1] = Constant;
        var y = RunFinite(bn, Tensor<float>.FromArray(data, 8, 3), "BatchNorm1d train");
        for (int n = 0; n < 8; n++) Assert.Equal(bn.Bias!.Value[1], y[n * 3 + 1], 1e-6f);
        Assert.Equal(0.9f, bn.RunningVar![1], 1e-6f);
        bn.Eval();
        RunFinite(bn, Tensor<float>.FromArray(data, 8, 3), "BatchNorm1d eval");
    }

    [Fact]
    public void BatchNorm2d_constant_channel_outputs_its_bias()
    {
        var bn = new BatchNorm2d<float>(2);
        SetAffine(bn.Weight, bn.Bias);
        var data = RandomValues(2 * 2 * 3 * 3, 2);
        for (int n = 0; n < 2; n++)
        for (int i = 0; i < 9; i++) data[n * 18 + i] = Constant;
        var y = RunFinite(bn, Tensor<float>.FromArray(data, 2, 2, 3, 3), "BatchNorm2d train");
        for (int n = 0; n < 2; n++)
        for (int i = 0; i < 9; i++) Assert.Equal(bn.Bias!.Value[0], y[n * 18 + i], 1e-6f);
        bn.Eval();
        RunFinite(bn, Tensor<float>.FromArray(data, 2, 2, 3, 3), "BatchNorm2d eval");
    }

    [Fact]
    public void BatchRenorm1d_constant_feature_outputs_its_bias()
    {
        var brn = new BatchRenorm1d<float>(3);
        SetAffine(brn.Weight, brn.Bias);
        var data = RandomValues(8 * 3, 3);
        for (int n = 0; n < 8; n++) data[n * 3 + 2] = Constant;
        var y = RunFinite(brn, Tensor<float>.FromArray(data, 8, 3), "BatchRenorm1d train");
        // r_max = 1, d_max = 0 (the defaults): r = 1, d = 0, so the constant feature gives β exactly as in BN.
        for (int n = 0; n < 8; n++) Assert.Equal(brn.Bias!.Value[2], y[n * 3 + 2], 1e-6f);
        brn.Eval();
        RunFinite(brn, Tensor<float>.FromArray(data, 8, 3), "BatchRenorm1d eval");
    }

    [Fact]
    public void LayerNorm_constant_row_outputs_bias()
    {
        var ln = new LayerNorm<float>(6);
        SetAffine(ln.Weight, ln.Bias);
        var data = RandomValues(3 * 6, 4);
        for (int j = 0; j < 6; j++) data[6 + j] = Constant;
        var y = RunFinite(ln, Tensor<float>.FromArray(data, 3, 6), "LayerNorm");
        for (int j = 0; j < 6; j++) Assert.Equal(ln.Bias!.Value[j], y[6 + j], 1e-6f);
    }

    [Fact]
    public void GroupNorm_constant_group_outputs_bias()
    {
        var gn = new GroupNorm<float>(2, 4);
        SetAffine(gn.Weight, gn.Bias);
        var data = RandomValues(2 * 4 * 2 * 2, 5);
        // Sample 0, group 1 = channels 2 and 3 = flat indices 8..15.
        for (int i = 8; i < 16; i++) data[i] = Constant;
        var y = RunFinite(gn, Tensor<float>.FromArray(data, 2, 4, 2, 2), "GroupNorm");
        for (int i = 8; i < 16; i++) Assert.Equal(gn.Bias!.Value[i / 4], y[i], 1e-6f);
    }

    [Fact]
    public void RMSNorm_zero_row_outputs_zero()
    {
        // The default eps (float32 machine epsilon) keeps 1/√(mean(x²)+eps) finite for an all-zero row.
        var rms = new RMSNorm<float>(6);
        SetAffine(rms.Weight, null);
        var data = RandomValues(3 * 6, 6);
        for (int j = 0; j < 6; j++) data[6 + j] = 0f;
        var y = RunFinite(rms, Tensor<float>.FromArray(data, 3, 6), "RMSNorm");
        for (int j = 0; j < 6; j++) Assert.Equal(0f, y[6 + j]);
    }
}

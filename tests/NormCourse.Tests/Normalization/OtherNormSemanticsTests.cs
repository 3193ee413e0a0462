using NormCourse.Normalization;
using NormCourse.Tensors;

namespace NormCourse.Tests.Normalization;

/// <summary>LayerNorm, RMSNorm, GroupNorm and Batch Renorm semantics from closed forms and the papers.</summary>
public class OtherNormSemanticsTests
{
    [Fact]
    public void LayerNormNormalizesEachRowAndIgnoresTheBatch()
    {
        var ln = new LayerNorm<double>(4);
        var y = ln.Forward(Tensor<double>.FromArray([1, 2, 3, 4, 10, 10, 10, 50], 2, 4));
        double invStd = 1 / Math.Sqrt(1.25 + 1e-5); // row 0: mean 2.5, biased var 1.25
        Assert.Equal(-1.5 * invStd, y[0, 0], 12);
        Assert.Equal(1.5 * invStd, y[0, 3], 12);
        // The same row alone gives the same output: no batch dependence.
        var alone = ln.Forward(Tensor<double>.FromArray([1, 2, 3, 4], 1, 4));
        Assert.Equal(-1.5 * invStd, alone[0, 0], 12);
    }

    [Fact]
    public void LayerNormOfAConstantRowIsBeta()
    {
        var ln = new LayerNorm<float>(3);
        ln.Bias!.Value.Span.Fill(0.25f);
        var y = ln.Forward(Tensor<float>.Full(7f, 2, 3));
        Assert.All(y.Data, v => Assert.Equal(0.25f, v));
    }

    [Fact]
    public void LayerNormShapeErrorReadsLikeTorchs()
    {
        var e = Assert.Throws<ArgumentException>(() => new LayerNorm<float>(4).Forward(Tensor<float>.Zeros(2, 5)));
        Assert.Contains("Given normalized_shape=(4,), expected input with shape (*, 4), but got input of size (2, 5)", e.Message);
    }

    [Fact]
    public void LayerNormParametersHaveTheNormalizedShape()
    {
        var ln = new LayerNorm<float>([3, 4]);
        Assert.Equal([3, 4], ln.Weight!.Value.Shape.ToArray());
        Assert.Null(new LayerNorm<float>(4, bias: false).Bias);
    }

    [Fact]
    public void RmsNormDividesByTheRootMeanSquare()
    {
        var rms = new RMSNorm<double>(2);
        var y = rms.Forward(Tensor<double>.FromArray([3, 4], 1, 2));
        double r = 1 / Math.Sqrt(12.5 + rms.Eps); // mean(9, 16) = 12.5
        Assert.Equal(3 * r, y[0, 0], 14);
        Assert.Equal(4 * r, y[0, 1], 14);
        Assert.DoesNotContain(rms.NamedParameters(), p => p.Name == "bias");
    }

    [Fact]
    public void RmsNormDefaultEpsIsTheMachineEpsilonOfTheElementType()
    {
        Assert.Equal(1.1920928955078125e-07, new RMSNorm<float>(4).Eps);
        Assert.Equal(2.220446049250313e-16, new RMSNorm<double>(4).Eps);
        Assert.Equal(1e-6, new RMSNorm<float>(4, eps: 1e-6).Eps);
    }

    [Fact]
    public void RmsNormOfZerosIsFinite()
    {
        var y = new RMSNorm<float>(5).Forward(Tensor<float>.Zeros(2, 5));
        Assert.All(y.Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void GroupNormNormalizesEachSampleAndGroup()
    {
        // N=1, C=4, L=1, G=2: groups {0,1} and {2,3}.
        var gn = new GroupNorm<double>(2, 4);
        var y = gn.Forward(Tensor<double>.FromArray([1, 3, 10, 30], 1, 4, 1));
        double inv0 = 1 / Math.Sqrt(1 + 1e-5), inv1 = 1 / Math.Sqrt(100 + 1e-5);
        Assert.Equal(-inv0, y[0, 0, 0], 12);
        Assert.Equal(inv0, y[0, 1, 0], 12);
        Assert.Equal(-10 * inv1, y[0, 2, 0], 12);
    }

    [Fact]
    public void GroupNormWithOneGroupIsLayerNormOverChannelsAndPositions()
    {
        var x = Tensor<double>.Zeros(3, 4, 5);
        Init.Normal(x, 2, 3, new Random(3));
        var gn = new GroupNorm<double>(1, 4).Forward(x);
        var ln = new LayerNorm<double>([4, 5]).Forward(x);
        for (int i = 0; i < x.Length; i++) Assert.Equal(ln.Data[i], gn.Data[i], 12);
    }

    [Fact]
    public void GroupNormErrorsAreTorchs()
    {
        Assert.Contains("num_channels must be divisible by num_groups",
            Assert.Throws<ArgumentException>(() => new GroupNorm<float>(3, 4)).Message);
        var gn = new GroupNorm<float>(2, 2);
        gn.Eval();
        // (N·C/G)·S = 1: refused in any mode, as F.group_norm's _verify_batch_size does.
        Assert.Contains("Expected more than 1 value per channel",
            Assert.Throws<ArgumentException>(() => gn.Forward(Tensor<float>.Zeros(1, 2))).Message);
        Assert.Throws<ArgumentException>(() => gn.Forward(Tensor<float>.Zeros(4)));
    }

    [Fact]
    public void BatchRenormWithRMaxOneAndDMaxZeroIsBatchNorm()
    {
        var x = Tensor<double>.Zeros(8, 3);
        Init.Normal(x, 4, 2, new Random(5));
        var brn = new BatchRenorm1d<double>(3);
        var bn = new BatchNorm1d<double>(3);
        var yr = brn.Forward(x).Clone();
        var yb = bn.Forward(x);
        for (int i = 0; i < x.Length; i++) Assert.Equal(yb.Data[i], yr.Data[i], 12);
    }

    [Fact]
    public void BatchRenormCorrectsTowardsTheMovingStatistics()
    {
        // One feature, batch [0, 2]: μ_B = 1, σ_B = √(1 + ε). Moving μ = 0, σ = 2 (set by hand), rMax = 3, dMax = 5:
        // r = σ_B/σ ≈ 0.5, d = (μ_B − μ)/σ = 0.5, so y = x̂·0.5 + 0.5 = (x − 0)/2: what inference would output.
        var brn = new BatchRenorm1d<double>(1, rMax: 3, dMax: 5);
        brn.RunningStd.Span[0] = 2;
        var y = brn.Forward(Tensor<double>.FromArray([0, 2], 2, 1));
        double sigmaB = Math.Sqrt(1 + 1e-5);
        Assert.Equal(sigmaB / 2, brn.LastR[0], 14);
        Assert.Equal(0.5, brn.LastD[0], 14);
        Assert.Equal(-1 / sigmaB * (sigmaB / 2) + 0.5, y[0, 0], 12);
        Assert.Equal(1 / sigmaB * (sigmaB / 2) + 0.5, y[1, 0], 12);
        // Moving averages with α = 0.01, taken after r and d.
        Assert.Equal(0.01, brn.RunningMean[0], 14);
        Assert.Equal(2 + 0.01 * (sigmaB - 2), brn.RunningStd[0], 14);
    }

    [Fact]
    public void BatchRenormClipsRAndD()
    {
        var brn = new BatchRenorm1d<double>(1, rMax: 1.5, dMax: 0.25);
        brn.RunningStd.Span[0] = 100;     // σ_B/σ ≈ 0.01 → clipped to 1/1.5
        brn.RunningMean.Span[0] = -50;    // (μ_B − μ)/σ = 0.51 → clipped to 0.25
        brn.Forward(Tensor<double>.FromArray([0, 2], 2, 1));
        Assert.Equal(1 / 1.5, brn.LastR[0], 14);
        Assert.Equal(0.25, brn.LastD[0], 14);
        Assert.Throws<ArgumentOutOfRangeException>(() => brn.RMax = 0.5);
        Assert.Throws<ArgumentOutOfRangeException>(() => brn.DMax = -1);
    }

    [Fact]
    public void BatchRenormInferenceUsesTheMovingStatistics()
    {
        var brn = new BatchRenorm1d<double>(1);
        brn.RunningMean.Span[0] = 1;
        brn.RunningStd.Span[0] = 4;
        brn.Weight!.Value.Span[0] = 2;
        brn.Bias!.Value.Span[0] = 0.5;
        brn.Eval();
        var y = brn.Forward(Tensor<double>.FromArray([9], 1, 1));
        Assert.Equal(2 * (9 - 1) / 4.0 + 0.5, y[0, 0], 14);
    }
}

using NormCourse.Normalization;
using NormCourse.Tensors;

namespace NormCourse.Tests.Normalization;

/// <summary>BatchNorm's PyTorch semantics, against the hand-computed values of normalization-semantics §1.</summary>
public class BatchNormSemanticsTests
{
    private static Tensor<double> Oracle() =>
        Tensor<double>.FromArray([1, 2, 3, 4, 6, 8, 0, -1, 5, 3, 3, 3], 4, 3);

    [Fact]
    public void OneTrainingStepMatchesTheOracle()
    {
        var bn = new BatchNorm1d<double>(3);
        var y = bn.Forward(Oracle());

        // μ = [2, 2.5, 4.75], σ² = [2.5, 6.25, 4.1875]; column 0 of y = (x − 2)/√(2.5 + 1e-5).
        double[] column0 = [-0.632454, 1.264909, -1.264909, 0.632454];
        for (int n = 0; n < 4; n++) Assert.Equal(column0[n], y[n, 0], 5);
        Assert.Equal([0.2, 0.25, 0.475], bn.RunningMean!.Data.Select(v => Math.Round(v, 6)));
        // rv = 0.9·1 + 0.1·σ²·4/3 (unbiased).
        Assert.Equal([1.233333, 1.733333, 1.458333], bn.RunningVar!.Data.Select(v => Math.Round(v, 6)));
        Assert.Equal(1, bn.NumBatchesTracked);
    }

    [Fact]
    public void RunningVarianceIsUnbiasedWhileTheBatchIsNormalizedWithTheBiasedOne()
    {
        var bn = new BatchNorm1d<double>(1, momentum: 1.0);
        var y = bn.Forward(Tensor<double>.FromArray([0, 2], 2, 1));
        Assert.Equal(2.0, bn.RunningVar![0], 12);            // Σ(x−1)²/(2−1)
        Assert.Equal(-1 / Math.Sqrt(1 + 1e-5), y[0, 0], 12); // biased σ² = 1
    }

    [Fact]
    public void MomentumNullIsACumulativeAverage()
    {
        var bn = new BatchNorm1d<double>(1, momentum: null);
        bn.Forward(Tensor<double>.FromArray([1, 3], 2, 1));   // mean 2, unbiased var 2
        Assert.Equal(2.0, bn.RunningMean![0], 12);            // the first batch overwrites the initial 0
        bn.Forward(Tensor<double>.FromArray([5, 9], 2, 1));   // mean 7, unbiased var 8
        Assert.Equal(4.5, bn.RunningMean[0], 12);
        Assert.Equal(5.0, bn.RunningVar![0], 12);
        Assert.Equal(2, bn.NumBatchesTracked);
    }

    /// <summary>
    /// The running buffers of every channel, past the chunks they are updated in (256 channels), follow
    /// (1 − f)·running + f·batch with the unbiased variance, the batch statistics computed here in double from the
    /// values themselves; float buffers to within their rounding. Two steps: momentum 0.1, then a cumulative average.
    /// </summary>
    [Theory]
    [InlineData(0.1)]
    [InlineData(null)]
    public void RunningStatisticsOfEveryChannelFollowTheUpdate(double? momentum)
    {
        const int rows = 5, channels = 600;
        var bn = new BatchNorm1d<float>(channels, momentum: momentum);
        var random = new Random(3);
        for (int step = 1; step <= 2; step++)
        {
            var x = Tensor<float>.Zeros(rows, channels);
            for (int i = 0; i < x.Length; i++) x.Data[i] = (float)(random.NextDouble() * 4 + 3 * step);
            float[] oldMean = bn.RunningMean!.Data.ToArray(), oldVar = bn.RunningVar!.Data.ToArray();
            bn.Forward(x);
            double f = momentum ?? 1.0 / step;
            for (int c = 0; c < channels; c++)
            {
                double[] v = Enumerable.Range(0, rows).Select(r => (double)x[r, c]).ToArray();
                double mean = v.Average(), unbiased = v.Sum(t => (t - mean) * (t - mean)) / (rows - 1);
                Assert.Equal((1 - f) * oldMean[c] + f * mean, bn.RunningMean[c], 1e-6 * (1 + Math.Abs(mean)));
                Assert.Equal((1 - f) * oldVar[c] + f * unbiased, bn.RunningVar[c], 1e-6 * (1 + unbiased));
            }
        }
        Assert.Equal(2, bn.NumBatchesTracked);
    }

    [Fact]
    public void MomentumZeroFreezesTheBuffersButCounts()
    {
        var bn = new BatchNorm1d<double>(2, momentum: 0);
        bn.Forward(Oracle().Reshape(6, 2));
        Assert.Equal([0.0, 0.0], bn.RunningMean!.Data);
        Assert.Equal([1.0, 1.0], bn.RunningVar!.Data);
        Assert.Equal(1, bn.NumBatchesTracked);
    }

    [Fact]
    public void EvalUsesRunningStatisticsAndDoesNotUpdateThem()
    {
        var bn = new BatchNorm1d<double>(3);
        bn.Forward(Oracle());
        bn.Eval();
        var y = bn.Forward(Tensor<double>.FromArray([1, 1, 1], 1, 3)); // batch of one is fine in eval
        Assert.Equal((1 - 0.2) / Math.Sqrt(1.233333333333333 + 1e-5), y[0, 0], 10);
        Assert.Equal(1, bn.NumBatchesTracked);
        Assert.Equal(0.2, bn.RunningMean![0], 12);
    }

    [Fact]
    public void WithoutTrackingEvalUsesBatchStatistics()
    {
        var bn = new BatchNorm1d<double>(3, trackRunningStats: false);
        Assert.Null(bn.RunningMean);
        bn.Eval();
        var y = bn.Forward(Oracle());
        Assert.Equal(-0.632454, y[0, 0], 5);
        Assert.Throws<ArgumentException>(() => bn.Forward(Tensor<double>.Zeros(1, 3)));
    }

    [Fact]
    public void BatchNorm2dNormalizesPerChannelOverBatchAndPositions()
    {
        // Channel 0 holds 0..7 over (N=2, H=2, W=2), channel 1 holds 100 + 10·(0..7): each is normalized alone.
        var data = new double[16];
        for (int n = 0; n < 2; n++)
            for (int s = 0; s < 4; s++)
            {
                data[n * 8 + s] = n * 4 + s;
                data[n * 8 + 4 + s] = 100 + 10 * (n * 4 + s);
            }
        var bn = new BatchNorm2d<double>(2);
        var y = bn.Forward(Tensor<double>.FromArray(data, 2, 2, 2, 2));
        double invStd0 = 1 / Math.Sqrt(5.25 + 1e-5), invStd1 = 1 / Math.Sqrt(525 + 1e-5); // var of 0..7 is 5.25
        Assert.Equal((0 - 3.5) * invStd0, y[0, 0, 0, 0], 12);
        Assert.Equal((170 - 135) * invStd1, y[1, 1, 1, 1], 12);
    }

    [Theory]
    [InlineData(new[] { 1, 3 })]
    [InlineData(new[] { 1, 3, 1 })]
    public void ABatchOfOneValuePerChannelIsRefusedInTraining(int[] shape)
    {
        var bn = new BatchNorm1d<float>(3);
        var e = Assert.Throws<ArgumentException>(() => bn.Forward(Tensor<float>.Zeros(shape)));
        Assert.Contains("Expected more than 1 value per channel when training", e.Message);
        Assert.Contains(Tensor<float>.Zeros(shape).ShapeString, e.Message);
    }

    [Fact]
    public void OneSampleWithSeveralPositionsIsAllowed()
    {
        var bn = new BatchNorm2d<float>(3);
        var y = bn.Forward(Tensor<float>.FromArray([1, 2, 3, 4, 5, 6], 1, 3, 2, 1));
        Assert.True(y.Data.All(float.IsFinite));
    }

    [Fact]
    public void WrongRanksAndChannelCountsAreNamed()
    {
        Assert.Contains("expected 2D or 3D input (got 4D input",
            Assert.Throws<ArgumentException>(() => new BatchNorm1d<float>(3).Forward(Tensor<float>.Zeros(2, 3, 1, 1))).Message);
        Assert.Contains("expected 4D input (got 3D input",
            Assert.Throws<ArgumentException>(() => new BatchNorm2d<float>(3).Forward(Tensor<float>.Zeros(2, 3, 4))).Message);
        Assert.Contains("expected 3 channels at axis 1, got input of shape (2, 4)",
            Assert.Throws<ArgumentException>(() => new BatchNorm1d<float>(3).Forward(Tensor<float>.Zeros(2, 4))).Message);
    }

    [Fact]
    public void NonFiniteInputIsReportedWithItsChannel()
    {
        var x = Tensor<float>.Zeros(4, 3);
        x[2, 1] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => new BatchNorm1d<float>(3).Forward(x));
        Assert.Contains("channel 1", e.Message);
        x[2, 1] = float.PositiveInfinity;
        Assert.Contains("channel 1", Assert.Throws<ArgumentException>(() => new BatchNorm1d<float>(3).Forward(x)).Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ParameterGradientsAreEveryChannelsSumsAndAccumulate(bool asFloat)
    {
        // dβ = Σ dy and dγ = Σ dy·x̂ over the batch, from their definitions here, for more channels than the layer adds to
        // the gradients at a time (it converts its double sums to T in chunks of 256); a second backward adds the same.
        const int n = 7, c = 600;
        var random = new Random(5);
        double[,] x = new double[n, c], dy = new double[n, c];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < c; j++) (x[i, j], dy[i, j]) = ((float)(random.NextDouble() * 4 - 1), (float)(random.NextDouble() - 0.5));
        double[] dGamma = new double[c], dBeta = new double[c];
        for (int j = 0; j < c; j++)
        {
            double mean = 0, variance = 0;
            for (int i = 0; i < n; i++) mean += x[i, j] / n;
            for (int i = 0; i < n; i++) variance += (x[i, j] - mean) * (x[i, j] - mean) / n;
            for (int i = 0; i < n; i++)
            {
                dGamma[j] += dy[i, j] * (x[i, j] - mean) / Math.Sqrt(variance + 1e-5);
                dBeta[j] += dy[i, j];
            }
        }
        double tolerance = asFloat ? 1e-5 : 1e-12;
        if (asFloat) Check(new BatchNorm1d<float>(c), v => (float)v);
        else Check(new BatchNorm1d<double>(c), v => v);

        void Check<T>(BatchNorm1d<T> bn, Func<double, T> of) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            var xt = Tensor<T>.Zeros(n, c);
            var dyt = Tensor<T>.Zeros(n, c);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < c; j++) (xt[i, j], dyt[i, j]) = (of(x[i, j]), of(dy[i, j]));
            for (int pass = 1; pass <= 2; pass++)
            {
                bn.Forward(xt);
                bn.Backward(dyt);
                for (int j = 0; j < c; j++)
                {
                    Assert.True(Math.Abs(pass * dGamma[j] - double.CreateTruncating(bn.Weight!.Grad[j])) <= tolerance * (1 + Math.Abs(dGamma[j])), $"dγ[{j}], pass {pass}");
                    Assert.True(Math.Abs(pass * dBeta[j] - double.CreateTruncating(bn.Bias!.Grad[j])) <= tolerance * (1 + Math.Abs(dBeta[j])), $"dβ[{j}], pass {pass}");
                }
            }
        }
    }

    [Fact]
    public void StatisticsWhoseSumOverflowsAreFinite()
    {
        // The check sums the statistics before it looks at each; a sum that overflows is not a NaN or an infinity.
        Assert.Null(Record.Exception(() => NormalizationChecks.FiniteStatistics("layer", "channel", [1e308, 1e308, 1e308], [0, 0, 0])));
        var e = Assert.Throws<ArgumentException>(() =>
            NormalizationChecks.FiniteStatistics("layer", "channel", [1e308, 1e308, 1e308], [0, double.NegativeInfinity, 0]));
        Assert.Contains("channel 1", e.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-5)]
    [InlineData(double.NaN)]
    public void EpsMustBePositive(double eps)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm1d<float>(3, eps: eps));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LayerNorm<float>(3, eps: eps));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GroupNorm<float>(1, 3, eps: eps));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RMSNorm<float>(3, eps: eps));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchRenorm1d<float>(3, eps: eps));
    }

    [Fact]
    public void DefaultsAreTorchs()
    {
        var bn = new BatchNorm1d<float>(4);
        Assert.Equal(1e-5, bn.Eps);
        Assert.Equal(0.1, bn.Momentum);
        Assert.Equal([1f, 1f, 1f, 1f], bn.Weight!.Value.Data);
        Assert.Equal([0f, 0f, 0f, 0f], bn.Bias!.Value.Data);
        Assert.Equal([1f, 1f, 1f, 1f], bn.RunningVar!.Data);
        Assert.Equal(["weight", "bias"], bn.NamedParameters().Select(p => p.Name));
        Assert.Equal(["running_mean", "running_var"], bn.NamedBuffers().Select(p => p.Name));
        Assert.Null(new BatchNorm1d<float>(4, affine: false).Weight);
    }
}

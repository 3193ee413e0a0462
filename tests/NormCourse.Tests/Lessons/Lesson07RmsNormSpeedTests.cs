using NormCourse.Analysis;
using NormCourse.Layers;
using NormCourse.Normalization;
using NormCourse.Tensors;

namespace NormCourse.Tests.Lessons;

/// <summary>
/// Lesson 07's speed claim, as the lesson measures it: RMSNorm's forward+backward takes less time than LayerNorm's on
/// the same (256, 1024) float batch, three seeds of data. Not a wall-clock limit: the two layers are timed alternately
/// in the same process (<see cref="PairedTiming"/>), so machine load slows both, and only the direction of their
/// medians is asserted. RMSNorm does strictly less work per value — one statistic instead of two, nothing to subtract,
/// no β — which is why Zhang &amp; Sennrich (2019) report it 7–64 % faster.
/// </summary>
public class Lesson07RmsNormSpeedTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void RmsNormIsFasterThanLayerNorm(int seed)
    {
        var x = Tensor<float>.Zeros(256, 1024);
        Init.Normal(x, 0.5f, 2f, new Random(seed));
        var dy = Tensor<float>.Zeros(256, 1024);
        Init.Normal(dy, 0f, 1f, new Random(seed + 100));
        Module<float> layerNorm = new LayerNorm<float>(1024), rmsNorm = new RMSNorm<float>(1024);
        var (ln, rms) = PairedTiming.Medians(
            () => { layerNorm.Forward(x); layerNorm.Backward(dy); },
            () => { rmsNorm.Forward(x); rmsNorm.Backward(dy); });
        Assert.True(rms < ln, $"seed {seed}: RMSNorm {rms:F0} µs, LayerNorm {ln:F0} µs (median of 41 alternating runs)");
    }
}

using NormCourse.Normalization;

using static NormCourse.Tests.Performance.KernelTestData;

namespace NormCourse.Tests.Performance;

/// <summary>
/// The float32 kernels as the layers call them (through <see cref="Kernels"/> and <see cref="Moments"/>, at the machine's
/// widest vector width) on a block of channels: the same results as over all channels, for the channels in the block,
/// and nothing written outside it. Each kernel against the readable reference loops, at every vector width, is
/// <see cref="EveryVectorWidthTests"/>. Layouts cover Inner = 1 (vectors across channels) and long runs, each with a
/// ragged tail.
/// </summary>
public class FastKernelTests
{
    public static TheoryData<int, int, int> Layouts() => new()
    {
        { 60, 100, 1 }, { 7, 37, 1 }, { 600, 20, 1 }, { 3, 5, 49 }, { 2, 4, 784 }, { 1, 9, 1027 }, { 1, 4, 15 },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void A_block_of_channels_gives_what_the_whole_gives_for_those_channels_and_leaves_the_rest(int outer, int channels, int inner)
    {
        var layout = new ChannelLayout(outer, channels, inner);
        int n = layout.Length;
        var x = Floats(1, n, offset: 3);
        var dy = Floats(2, n);
        var block = (channels / 3)..Math.Max(channels / 3 + 1, 2 * channels / 3);
        var (first, end) = layout.Bounds(block);

        double[] mean = new double[channels], variance = new double[channels], meanBlock = new double[channels], varianceBlock = new double[channels];
        Moments.MeanAndVariance<float>(x, layout, mean, variance);
        Array.Fill(meanBlock, -7.0);
        Array.Fill(varianceBlock, -7.0);
        Moments.MeanAndVariance<float>(x, layout, meanBlock, varianceBlock, block);
        double[] s = new double[channels], d = new double[channels], sBlock = new double[channels], dBlock = new double[channels];
        Moments.CenteredSumAndDot<float>(dy, x, mean, layout, s, d);
        Array.Fill(sBlock, -7.0);
        Moments.CenteredSumAndDot<float>(dy, x, mean, layout, sBlock, dBlock, block);
        // A block that starts off the 16-channel grid sums some channels in the scalar tail instead of in vectors:
        // the same sums in another order, equal to double rounding.
        for (int c = 0; c < channels; c++)
        {
            bool inside = c >= first && c < end;
            Assert.Equal(inside ? mean[c] : -7.0, meanBlock[c], 1e-12);
            Assert.Equal(inside ? variance[c] : -7.0, varianceBlock[c], 1e-12);
            Assert.Equal(inside ? s[c] : -7.0, sBlock[c], 1e-12);
        }

        var invStd = PerChannel(3, channels, 0.5, 2);
        var (k, a, b) = (PerChannel(8, channels, -2, 2), PerChannel(9, channels, -1, 1), PerChannel(10, channels, -1, 1));
        float[] y = new float[n], yBlock = new float[n], dx = new float[n], dxBlock = new float[n];
        Kernels.Normalize<float>(x, layout, mean, invStd, k, a, y, Range.All);
        Kernels.Normalize<float>(x, layout, mean, invStd, k, a, yBlock, block);
        Kernels.Backward<float>(dy, [], x, layout, mean, invStd, k, a, b, dx, Range.All);
        Kernels.Backward<float>(dy, [], x, layout, mean, invStd, k, a, b, dxBlock, block);
        for (int i = 0; i < n; i++)
        {
            bool inside = layout.ChannelOf(i) >= first && layout.ChannelOf(i) < end;
            Assert.Equal(inside ? y[i] : 0f, yBlock[i], 1e-5f);    // fused multiply-adds in vectors, not in the tail
            Assert.Equal(inside ? dx[i] : 0f, dxBlock[i], 1e-5f);
        }
    }
}

using NormCourse.Normalization;
using NormCourse.Normalization.Reference;

using static NormCourse.Tests.Performance.KernelTestData;

namespace NormCourse.Tests.Performance;

/// <summary>
/// The float32 fast paths (vectorised at the machine's widest vector width) against the readable reference loops: the
/// elementwise kernels against <see cref="NormalizationKernels"/> run on the same float data, and the float moments
/// against the plain loops run on the same values held as float64 (both accumulate in double, so they agree to double
/// rounding). Layouts cover Inner = 1 (vectors across channels, in stripes down few rows or row by row down many) and
/// long runs, each with a ragged tail.
/// </summary>
public class FastKernelTests
{
    public static TheoryData<int, int, int> Layouts() => new()
    {
        { 60, 100, 1 }, { 7, 37, 1 }, { 600, 20, 1 }, { 3, 5, 49 }, { 2, 4, 784 }, { 1, 9, 1027 }, { 1, 4, 15 },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Normalize_and_backward_equal_the_reference(int outer, int channels, int inner)
    {
        var layout = new ChannelLayout(outer, channels, inner);
        int n = layout.Length;
        var x = Floats(1, n);
        var mean = PerChannel(2, channels, -1, 1);
        var invStd = PerChannel(3, channels, 0.5, 2);
        var scale = PerChannel(4, channels, -2, 2);
        var shift = PerChannel(5, channels, -1, 1);
        float[] y = new float[n], yRef = new float[n];
        Kernels.Normalize<float>(x, layout, mean, invStd, scale, shift, y, Range.All);
        NormalizationKernels.Normalize<float>(x, layout, mean, invStd, scale, shift, yRef);
        Close(yRef, y, "y");

        var dy = Floats(6, n);
        var weight = Floats(7, inner);
        var (k, a, b) = (PerChannel(8, channels, -2, 2), PerChannel(9, channels, -1, 1), PerChannel(10, channels, -1, 1));
        foreach (var w in new[] { Array.Empty<float>(), weight })
        foreach (var mu in new[] { mean, Array.Empty<double>() })
        {
            float[] dx = new float[n], dxRef = new float[n];
            Kernels.Backward<float>(dy, w, x, layout, mu, invStd, k, a, b, dx, Range.All);
            NormalizationKernels.Backward<float>(dy, w, x, layout, mu, invStd, k, a, b, dxRef);
            Close(dxRef, dx, (w.Length == 0 ? "dx" : "dx (weighted)") + (mu.Length == 0 ? ", uncentred" : ""));
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void NormalizeRows_equals_the_reference(int outer, int channels, int inner)
    {
        var rows = new ChannelLayout(1, outer * channels, inner);
        int n = rows.Length;
        var x = Floats(1, n);
        var mean = PerChannel(2, rows.Channels, -1, 1);
        var invStd = PerChannel(3, rows.Channels, 0.5, 2);
        var gamma = Floats(4, inner);
        var beta = Floats(5, inner);
        foreach (bool centred in new[] { true, false })
        foreach (bool affine in new[] { true, false })
        {
            float[] y = new float[n], yRef = new float[n];
            double[] mu = centred ? mean : [];
            float[] g = affine ? gamma : [], b = affine && centred ? beta : [];
            Kernels.NormalizeRows<float>(x, rows, mu, invStd, g, b, y);
            NormalizationKernels.NormalizeRows<float>(x, rows, mu, invStd, g, b, yRef);
            Close(yRef, y, "y");
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Float_moments_equal_the_double_loops_even_far_from_zero(int outer, int channels, int inner)
    {
        var layout = new ChannelLayout(outer, channels, inner);
        foreach (float offset in new[] { 0f, 1e6f })
        {
            var x = Floats(1, layout.Length, offset);
            var xd = x.Select(v => (double)v).ToArray();
            double[] mean = new double[channels], variance = new double[channels], meanRef = new double[channels], varianceRef = new double[channels];
            Moments.MeanAndVariance<float>(x, layout, mean, variance);
            Moments.MeanAndVariance<double>(xd, layout, meanRef, varianceRef);
            for (int c = 0; c < channels; c++)
            {
                Assert.Equal(meanRef[c], mean[c], 1e-12 * Math.Abs(meanRef[c]) + 1e-12);
                Assert.Equal(varianceRef[c], variance[c], 1e-9 * varianceRef[c] + 1e-12);
            }
            Moments.MeanSquare<float>(x, layout, mean);
            Moments.MeanSquare<double>(xd, layout, meanRef);
            for (int c = 0; c < channels; c++) Assert.Equal(meanRef[c], mean[c], 1e-12 * meanRef[c]);
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Float_sums_equal_the_double_loops(int outer, int channels, int inner)
    {
        var layout = new ChannelLayout(outer, channels, inner);
        var a = Floats(1, layout.Length);
        var b = Floats(2, layout.Length);
        var w = Floats(3, inner);
        var center = PerChannel(4, channels, -1, 1);
        foreach (var weight in inner > 1 ? new[] { Array.Empty<float>(), w } : [Array.Empty<float>()])
        foreach (var mu in new[] { Array.Empty<double>(), center })
        {
            // The reference weighs in float (w·a rounded to float), so the double run gets the same products.
            var wa = a.Select((v, i) => weight.Length == 0 ? (double)v : (double)(weight[i % inner] * v)).ToArray();
            double[] s = new double[channels], d = new double[channels], sRef = new double[channels], dRef = new double[channels];
            Moments.WeightedSumAndDot<float>(a, weight, b, mu, layout, s, d);
            Moments.WeightedSumAndDot<double>(wa, [], b.Select(v => (double)v).ToArray(), mu, layout, sRef, dRef);
            for (int c = 0; c < channels; c++)
            {
                Assert.Equal(sRef[c], s[c], 1e-10);
                Assert.Equal(dRef[c], d[c], 1e-10);
            }
        }
    }

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

using System.Runtime.InteropServices;
using NormCourse.Tensors;
using NormCourse.Tensors.Simd;

namespace NormCourse.Normalization;

/// <summary>
/// The one place that reduces over axes: per-channel mean and variance for the forward passes, per-channel
/// sums for the backward passes, all over a <see cref="ChannelLayout"/> view of contiguous data.
/// </summary>
/// <remarks>
/// Statistics accumulate in double and the variance is two-pass (mean first, then Σ(x−μ)²), as PyTorch's CPU
/// BatchNorm does. The one-pass E[x²] − E[x]² loses everything when the mean is large against the spread:
/// for xᵢ = 10⁶ + (i mod 7) − 3 in float32 it gives 1.4·10⁸ instead of 4 (normalization-semantics §6).
/// The loops below are the readable definition; float32 data takes <see cref="FloatMoments"/> wherever the CPU has
/// vector units, the same sums vectorised and the variance in one pass over shifted data, which is as exact in double
/// (tests hold the two equal).
/// </remarks>
public static class Moments
{
    /// <summary>
    /// μ_c = (1/m) Σ x and the biased σ²_c = (1/m) Σ (x − μ_c)² for every channel c, m = Outer·Inner.
    /// </summary>
    public static void MeanAndVariance<T>(ReadOnlySpan<T> x, ChannelLayout layout, Span<double> mean, Span<double> variance)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        MeanAndVariance(x, layout, mean, variance, Range.All);

    /// <summary>
    /// The same for the channels of <paramref name="channels"/> only, the other outputs left as they are: a layer
    /// can then finish a block of channels (statistics, then normalize) while their values are still in cache.
    /// </summary>
    public static void MeanAndVariance<T>(ReadOnlySpan<T> x, ChannelLayout layout, Span<double> mean, Span<double> variance, Range channels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(x.Length, layout, mean.Length, variance.Length);
        var (first, end) = layout.Bounds(channels);
        if (typeof(T) == typeof(float) && VectorWidths.AnyAccelerated)
        {
            FloatMoments.MeanAndVariance(MemoryMarshal.Cast<T, float>(x), layout, first, end, mean, variance, VectorWidths.Widest, TwoHalves.WorkerFor(layout));
            return;
        }
        var (outer, all, inner) = layout;
        double m = layout.CountPerChannel;
        mean[first..end].Clear();
        variance[first..end].Clear();
        for (int o = 0; o < outer; o++)
            for (int c = first; c < end; c++)
                mean[c] += Sum(x.Slice((o * all + c) * inner, inner));
        for (int c = first; c < end; c++) mean[c] /= m;
        for (int o = 0; o < outer; o++)
            for (int c = first; c < end; c++)
                variance[c] += SumOfSquaredDeviations(x.Slice((o * all + c) * inner, inner), mean[c]);
        for (int c = first; c < end; c++) variance[c] /= m;
    }

    /// <summary>The mean square (1/m) Σ x² for every channel: RMSNorm's statistic.</summary>
    public static void MeanSquare<T>(ReadOnlySpan<T> x, ChannelLayout layout, Span<double> meanSquare)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(x.Length, layout, meanSquare.Length, meanSquare.Length);
        if (typeof(T) == typeof(float) && VectorWidths.AnyAccelerated)
        {
            FloatMoments.MeanSquare(MemoryMarshal.Cast<T, float>(x), layout, meanSquare, VectorWidths.Widest);
            return;
        }
        var (outer, channels, inner) = layout;
        meanSquare[..channels].Clear();
        for (int o = 0; o < outer; o++)
            for (int c = 0; c < channels; c++)
                meanSquare[c] += SumOfSquaredDeviations(x.Slice((o * channels + c) * inner, inner), 0);
        for (int c = 0; c < channels; c++) meanSquare[c] /= layout.CountPerChannel;
    }

    /// <summary>
    /// Σ a and Σ a·b for every channel — the two reductions every normalization backward pass needs
    /// (a = ∂L/∂y or γ·∂L/∂y, b = x̂), and the parameter gradients ∂L/∂β = Σ dy, ∂L/∂γ = Σ dy·x̂.
    /// </summary>
    public static void SumAndDot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ChannelLayout layout, Span<double> sumA, Span<double> sumAB)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        WeightedSumAndDot(a, [], b, [], layout, sumA, sumAB, Range.All);

    /// <summary>
    /// Σ a and Σ a·(b − μ_c) for every channel: with a = dy and b = x these are PyTorch's S1 = Σdy and
    /// S2 = Σ(x − μ)·dy, from which Σ dy·x̂ = invstd·S2 without x̂ ever being stored.
    /// </summary>
    public static void CenteredSumAndDot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<double> mean, ChannelLayout layout,
        Span<double> sumA, Span<double> sumAB)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        WeightedSumAndDot(a, [], b, mean, layout, sumA, sumAB, Range.All);

    /// <summary>The same for the channels of <paramref name="channels"/> only, the other outputs left as they are.</summary>
    public static void CenteredSumAndDot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<double> mean, ChannelLayout layout,
        Span<double> sumA, Span<double> sumAB, Range channels)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        WeightedSumAndDot(a, [], b, mean, layout, sumA, sumAB, channels);

    /// <summary>
    /// Σ w·a and Σ w·a·(b − center_c) for every channel, with w = weight[i mod Inner], a weight per position along
    /// the inner axis (all ones when <paramref name="weight"/> is empty) and a per-channel center (zero when
    /// <paramref name="center"/> is empty): LayerNorm's and RMSNorm's row sums of g = γ ⊙ dy and g ⊙ x̂ without
    /// writing g out, and BatchNorm's Σdy and Σdy·(x − μ).
    /// </summary>
    public static void WeightedSumAndDot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> weight, ReadOnlySpan<T> b, ReadOnlySpan<double> center,
        ChannelLayout layout, Span<double> sumA, Span<double> sumAB)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        WeightedSumAndDot(a, weight, b, center, layout, sumA, sumAB, Range.All);

    /// <summary>The same for the channels of <paramref name="channels"/> only, the other outputs left as they are.</summary>
    public static void WeightedSumAndDot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> weight, ReadOnlySpan<T> b, ReadOnlySpan<double> center,
        ChannelLayout layout, Span<double> sumA, Span<double> sumAB, Range channels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(a.Length, layout, sumA.Length, sumAB.Length);
        if (b.Length != a.Length) throw new ArgumentException($"The two inputs differ in length ({a.Length} and {b.Length}).");
        if (!weight.IsEmpty && weight.Length != layout.Inner)
            throw new ArgumentException($"The weight holds {weight.Length} values; the layout {layout} needs one per inner position ({layout.Inner}).");
        if (!center.IsEmpty && center.Length < layout.Channels)
            throw new ArgumentException($"The center holds {center.Length} values; the layout {layout} needs one per channel ({layout.Channels}).");
        var (outer, all, inner) = layout;
        var (first, end) = layout.Bounds(channels);
        if (typeof(T) == typeof(float) && VectorWidths.AnyAccelerated && (weight.IsEmpty || inner > 1))
        {
            FloatMoments.SumAndDot(MemoryMarshal.Cast<T, float>(a), MemoryMarshal.Cast<T, float>(weight),
                MemoryMarshal.Cast<T, float>(b), center, layout, first, end, sumA, sumAB, VectorWidths.Widest, TwoHalves.WorkerFor(layout));
            return;
        }
        sumA[first..end].Clear();
        sumAB[first..end].Clear();
        for (int o = 0; o < outer; o++)
            for (int c = first; c < end; c++)
            {
                int start = (o * all + c) * inner;
                var ar = a.Slice(start, inner);
                var br = b.Slice(start, inner);
                double mu = center.IsEmpty ? 0 : center[c];
                for (int i = 0; i < ar.Length; i++)
                {
                    T wa = weight.IsEmpty ? ar[i] : weight[i] * ar[i];
                    double ai = double.CreateTruncating(wa);
                    sumA[c] += ai;
                    sumAB[c] += ai * (double.CreateTruncating(br[i]) - mu);
                }
            }
    }

    private static double Sum<T>(ReadOnlySpan<T> run) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        foreach (T v in run) sum += double.CreateTruncating(v);
        return sum;
    }

    private static double SumOfSquaredDeviations<T>(ReadOnlySpan<T> run, double mean) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        foreach (T v in run)
        {
            double d = double.CreateTruncating(v) - mean;
            sum += d * d;
        }
        return sum;
    }

    private static void Check(int length, ChannelLayout layout, int out1, int out2)
    {
        if (length != layout.Length)
            throw new ArgumentException($"The data holds {length} values but the layout {layout} describes {layout.Length}.");
        if (out1 < layout.Channels || out2 < layout.Channels)
            throw new ArgumentException($"The outputs need room for {layout.Channels} channels.");
    }
}

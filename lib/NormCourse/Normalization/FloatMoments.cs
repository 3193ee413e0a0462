using System.Runtime.Intrinsics;

namespace NormCourse.Normalization;

/// <summary>
/// <see cref="Moments"/> for float32 data on AVX-512 machines: the same reductions, the same double accumulators
/// and the same two passes, with 16 floats loaded at a time and widened to two vectors of 8 doubles.
/// </summary>
/// <remarks>
/// A layout with Inner = 1 ((N, C) BatchNorm, and LayerNorm's per-element parameter gradients) has each channel's
/// values one row apart, so the vectors run across channels, 16 channels per load, accumulating into the
/// per-channel outputs; otherwise they run along each channel's contiguous run. Only the summation order differs
/// from the plain loops, so results agree with them to double rounding.
/// </remarks>
internal static unsafe class FloatMoments
{
    private const int Lanes = 16;

    // Up to this many rows, a 16-channel stripe (64 bytes a row) fits in L1 and is reduced in registers.
    private const int StripeRows = 512;

    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    /// <summary>Σx per channel, then Σ(x − μ)² per channel, each divided by m.</summary>
    public static void MeanAndVariance(ReadOnlySpan<float> x, ChannelLayout layout, Span<double> mean, Span<double> variance)
    {
        var (outer, channels, inner) = layout;
        double m = layout.CountPerChannel;
        mean[..channels].Clear();
        variance[..channels].Clear();
        fixed (float* px = x)
        fixed (double* pm = mean, pv = variance)
        {
            if (inner == 1 && outer <= StripeRows)
            {
                // A stripe of 16 channels down all rows is at most 32 KiB: the second pass reads it from L1.
                int c = 0;
                for (; c <= channels - Lanes; c += Lanes) StripeMeanAndVariance(px + c, outer, channels, pm + c, pv + c);
                for (; c < channels; c++)
                {
                    for (int o = 0; o < outer; o++) pm[c] += px[o * channels + c];
                    pm[c] /= m;
                    for (int o = 0; o < outer; o++)
                    {
                        double d = px[o * channels + c] - pm[c];
                        pv[c] += d * d;
                    }
                }
            }
            else if (inner == 1)
            {
                for (int o = 0; o < outer; o++) AddAcross(px + o * channels, pm, channels);
                for (int c = 0; c < channels; c++) pm[c] /= m;
                for (int o = 0; o < outer; o++) AddSquaredDeviationsAcross(px + o * channels, pm, pv, channels);
            }
            else if (outer == 1)
            {
                // Each channel is one run (LayerNorm's rows): both passes over it while it is in cache.
                for (int c = 0; c < channels; c++)
                {
                    pm[c] = Sum(px + c * inner, inner) / m;
                    pv[c] = SumOfSquaredDeviations(px + c * inner, inner, pm[c]);
                }
            }
            else
            {
                for (int o = 0; o < outer; o++)
                    for (int c = 0; c < channels; c++) pm[c] += Sum(px + (o * channels + c) * inner, inner);
                for (int c = 0; c < channels; c++) pm[c] /= m;
                for (int o = 0; o < outer; o++)
                    for (int c = 0; c < channels; c++) pv[c] += SumOfSquaredDeviations(px + (o * channels + c) * inner, inner, pm[c]);
            }
            for (int c = 0; c < channels; c++) pv[c] /= m;
        }
    }

    /// <summary>(1/m) Σ x² per channel.</summary>
    public static void MeanSquare(ReadOnlySpan<float> x, ChannelLayout layout, Span<double> meanSquare)
    {
        var (outer, channels, inner) = layout;
        meanSquare[..channels].Clear();
        double* zeros = stackalloc double[inner == 1 ? channels : 1];
        fixed (float* px = x)
        fixed (double* ps = meanSquare)
        {
            if (inner == 1)
            {
                new Span<double>(zeros, channels).Clear();
                for (int o = 0; o < outer; o++) AddSquaredDeviationsAcross(px + o * channels, zeros, ps, channels);
            }
            else
            {
                for (int o = 0; o < outer; o++)
                    for (int c = 0; c < channels; c++) ps[c] += SumOfSquaredDeviations(px + (o * channels + c) * inner, inner, 0);
            }
            for (int c = 0; c < channels; c++) ps[c] /= layout.CountPerChannel;
        }
    }

    /// <summary>
    /// Σ w·a and Σ w·a·(b − center_c) per channel, w = weight[i mod Inner] (all ones when empty; empty when
    /// Inner = 1), center zero when empty.
    /// </summary>
    public static void SumAndDot(ReadOnlySpan<float> a, ReadOnlySpan<float> weight, ReadOnlySpan<float> b, ReadOnlySpan<double> center,
        ChannelLayout layout, Span<double> sumA, Span<double> sumAB)
    {
        var (outer, channels, inner) = layout;
        sumA[..channels].Clear();
        sumAB[..channels].Clear();
        // A zero center for the across-channel loops, which load it as vectors.
        double* zeros = stackalloc double[inner == 1 && center.IsEmpty ? channels : 0];
        if (inner == 1 && center.IsEmpty) new Span<double>(zeros, channels).Clear();
        fixed (float* pa = a, pw = weight, pb = b)
        fixed (double* ps = sumA, pd = sumAB, pc = center)
        {
            float* w = weight.IsEmpty ? null : pw;
            double* mu = center.IsEmpty ? zeros : pc;
            if (inner == 1)
            {
                for (int o = 0; o < outer; o++) AddSumAndProductsAcross(pa + o * channels, pb + o * channels, mu, ps, pd, channels);
                return;
            }
            for (int o = 0; o < outer; o++)
                for (int c = 0; c < channels; c++)
                {
                    int start = (o * channels + c) * inner;
                    var (s, d) = SumAndDot(pa + start, w, pb + start, inner, center.IsEmpty ? 0 : pc[c]);
                    ps[c] += s;
                    pd[c] += d;
                }
        }
    }

    public static (Vector512<double> Lower, Vector512<double> Upper) Widen(Vector512<float> v) => Vector512.Widen(v);

    // ---- along a contiguous run ----

    // Two vectors a step and four accumulators: one chain of dependent additions would wait on the adder's
    // latency (4 cycles) at every step; four chains keep it busy.
    public static double Sum(float* x, int n)
    {
        Vector512<double> s0 = default, s1 = default, s2 = default, s3 = default;
        int i = 0;
        for (; i <= n - 2 * Lanes; i += 2 * Lanes)
        {
            var (lo, hi) = Widen(Vector512.Load(x + i));
            var (lo2, hi2) = Widen(Vector512.Load(x + i + Lanes));
            s0 += lo;
            s1 += hi;
            s2 += lo2;
            s3 += hi2;
        }
        for (; i <= n - Lanes; i += Lanes)
        {
            var (lo, hi) = Widen(Vector512.Load(x + i));
            s0 += lo;
            s1 += hi;
        }
        double sum = Vector512.Sum((s0 + s1) + (s2 + s3));
        for (; i < n; i++) sum += x[i];
        return sum;
    }

    public static double SumOfSquaredDeviations(float* x, int n, double mean)
    {
        var mu = Vector512.Create(mean);
        Vector512<double> s0 = default, s1 = default, s2 = default, s3 = default;
        int i = 0;
        for (; i <= n - 2 * Lanes; i += 2 * Lanes)
        {
            var (lo, hi) = Widen(Vector512.Load(x + i));
            var (lo2, hi2) = Widen(Vector512.Load(x + i + Lanes));
            lo -= mu;
            hi -= mu;
            lo2 -= mu;
            hi2 -= mu;
            s0 = Vector512.FusedMultiplyAdd(lo, lo, s0);
            s1 = Vector512.FusedMultiplyAdd(hi, hi, s1);
            s2 = Vector512.FusedMultiplyAdd(lo2, lo2, s2);
            s3 = Vector512.FusedMultiplyAdd(hi2, hi2, s3);
        }
        for (; i <= n - Lanes; i += Lanes)
        {
            var (lo, hi) = Widen(Vector512.Load(x + i));
            lo -= mu;
            hi -= mu;
            s0 = Vector512.FusedMultiplyAdd(lo, lo, s0);
            s1 = Vector512.FusedMultiplyAdd(hi, hi, s1);
        }
        double sum = Vector512.Sum((s0 + s1) + (s2 + s3));
        for (; i < n; i++)
        {
            double d = x[i] - mean;
            sum += d * d;
        }
        return sum;
    }

    private static (double Sum, double Dot) SumAndDot(float* a, float* w, float* b, int n, double center)
    {
        var mu = Vector512.Create(center);
        Vector512<double> s0 = default, s1 = default, d0 = default, d1 = default;
        int i = 0;
        for (; i <= n - Lanes; i += Lanes)
        {
            var av = Vector512.Load(a + i);
            if (w != null) av *= Vector512.Load(w + i);
            var (alo, ahi) = Widen(av);
            var (blo, bhi) = Widen(Vector512.Load(b + i));
            s0 += alo;
            s1 += ahi;
            d0 = Vector512.FusedMultiplyAdd(alo, blo - mu, d0);
            d1 = Vector512.FusedMultiplyAdd(ahi, bhi - mu, d1);
        }
        double sum = Vector512.Sum(s0 + s1), dot = Vector512.Sum(d0 + d1);
        for (; i < n; i++)
        {
            double ai = w != null ? a[i] * w[i] : a[i];
            sum += ai;
            dot += ai * (b[i] - center);
        }
        return (sum, dot);
    }

    // ---- across channels (Inner = 1): element c of a row belongs to channel c ----

    private static void StripeMeanAndVariance(float* x, int rows, int stride, double* mean, double* variance)
    {
        Vector512<double> s0 = default, s1 = default;
        for (int o = 0; o < rows; o++)
        {
            var (lo, hi) = Widen(Vector512.Load(x + o * stride));
            s0 += lo;
            s1 += hi;
        }
        var m = Vector512.Create((double)rows);
        s0 /= m;
        s1 /= m;
        s0.Store(mean);
        s1.Store(mean + 8);
        Vector512<double> v0 = default, v1 = default;
        for (int o = 0; o < rows; o++)
        {
            var (lo, hi) = Widen(Vector512.Load(x + o * stride));
            lo -= s0;
            hi -= s1;
            v0 = Vector512.FusedMultiplyAdd(lo, lo, v0);
            v1 = Vector512.FusedMultiplyAdd(hi, hi, v1);
        }
        v0.Store(variance);
        v1.Store(variance + 8);
    }

    private static void AddAcross(float* row, double* acc, int channels)
    {
        int c = 0;
        for (; c <= channels - Lanes; c += Lanes)
        {
            var (lo, hi) = Widen(Vector512.Load(row + c));
            (Vector512.Load(acc + c) + lo).Store(acc + c);
            (Vector512.Load(acc + c + 8) + hi).Store(acc + c + 8);
        }
        for (; c < channels; c++) acc[c] += row[c];
    }

    private static void AddSquaredDeviationsAcross(float* row, double* mean, double* acc, int channels)
    {
        int c = 0;
        for (; c <= channels - Lanes; c += Lanes)
        {
            var (lo, hi) = Widen(Vector512.Load(row + c));
            lo -= Vector512.Load(mean + c);
            hi -= Vector512.Load(mean + c + 8);
            Vector512.FusedMultiplyAdd(lo, lo, Vector512.Load(acc + c)).Store(acc + c);
            Vector512.FusedMultiplyAdd(hi, hi, Vector512.Load(acc + c + 8)).Store(acc + c + 8);
        }
        for (; c < channels; c++)
        {
            double d = row[c] - mean[c];
            acc[c] += d * d;
        }
    }

    private static void AddSumAndProductsAcross(float* a, float* b, double* center, double* sum, double* dot, int channels)
    {
        int c = 0;
        for (; c <= channels - Lanes; c += Lanes)
        {
            var (alo, ahi) = Widen(Vector512.Load(a + c));
            var (blo, bhi) = Widen(Vector512.Load(b + c));
            (Vector512.Load(sum + c) + alo).Store(sum + c);
            (Vector512.Load(sum + c + 8) + ahi).Store(sum + c + 8);
            Vector512.FusedMultiplyAdd(alo, blo - Vector512.Load(center + c), Vector512.Load(dot + c)).Store(dot + c);
            Vector512.FusedMultiplyAdd(ahi, bhi - Vector512.Load(center + c + 8), Vector512.Load(dot + c + 8)).Store(dot + c + 8);
        }
        for (; c < channels; c++)
        {
            sum[c] += a[c];
            dot[c] += a[c] * (b[c] - center[c]);
        }
    }
}

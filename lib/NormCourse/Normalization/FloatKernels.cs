using System.Runtime.CompilerServices;
using NormCourse.Tensors;
using NormCourse.Tensors.Simd;

namespace NormCourse.Normalization;

/// <summary>
/// <see cref="Reference.NormalizationKernels"/> for float32 in vectors: the same formulas, TF.Count values per
/// instruction (16 with AVX-512, 8 with AVX2, 4 with SSE or NEON; <see cref="IFloatVector{TSelf, TDouble}"/>), with the
/// multiply-adds fused. Each entry point takes the <see cref="VectorWidth"/> to run, <see cref="VectorWidths.Widest"/>
/// in the layers, any width in the tests. With Inner = 1 ((N, C) BatchNorm) a channel's values are a row apart,
/// so the vectors run across channels with the per-channel constants loaded as vectors; otherwise they run along
/// each channel's (or row's) contiguous values with the constants broadcast. A large tensor is computed in two halves,
/// of rows or of a block's channels, the second on the process's <see cref="Worker"/> thread (<see cref="TwoHalves"/>).
/// The loops are compiled fully optimised on first use (AggressiveOptimization), here and in <see cref="FloatMoments"/>
/// and <see cref="FloatRowNorm"/>: under tiered compilation they would first run as quickly compiled code, for a time
/// that depends on what else the process is compiling, and a short measurement (lesson 07's) could catch that.
/// </summary>
internal static unsafe class FloatKernels
{
    // The most channels whose per-channel float constants (3 or 4 each) an (N, C) pass keeps on the stack at a time:
    // 64 KiB at most. Wider inputs go through in pieces of this many channels.
    private const int MaxStackChannels = 4096;

    /// <summary>y = scale·((x − μ)·invstd) + shift, per channel, for the channels first…end−1.</summary>
    public static void Normalize(ReadOnlySpan<float> x, ChannelLayout layout, (int First, int End) block, ReadOnlySpan<double> mean,
        ReadOnlySpan<double> invStd, ReadOnlySpan<double> scale, ReadOnlySpan<double> shift, Span<float> y, VectorWidth width,
        Worker? worker = null)
    {
        switch (width)
        {
            case VectorWidth.Bits512: Normalize<Float512, Double512>(x, layout, block, mean, invStd, scale, shift, y, worker); break;
            case VectorWidth.Bits256: Normalize<Float256, Double256>(x, layout, block, mean, invStd, scale, shift, y, worker); break;
            default: Normalize<Float128, Double128>(x, layout, block, mean, invStd, scale, shift, y, worker); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Normalize<TF, TD>(ReadOnlySpan<float> x, ChannelLayout layout, (int First, int End) block, ReadOnlySpan<double> mean,
        ReadOnlySpan<double> invStd, ReadOnlySpan<double> scale, ReadOnlySpan<double> shift, Span<float> y, Worker? worker)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        var (outer, channels, inner) = layout;
        var (first, end) = block;
        fixed (float* px = x, py = y)
        {
            if (inner == 1)
            {
                // The constants as float rows, so that a row of x meets them a vector of channels at a time; on the
                // stack, so at most MaxStackChannels of them at a time.
                float* constants = stackalloc float[3 * Math.Min(end - first, MaxStackChannels)];
                for (int c0 = first; c0 < end; c0 += MaxStackChannels)
                {
                    int width = Math.Min(MaxStackChannels, end - c0);
                    float* mu = constants, s = constants + width, t = constants + 2 * width;
                    for (int c = 0; c < width; c++)
                    {
                        mu[c] = (float)mean[c0 + c];
                        s[c] = (float)(scale[c0 + c] * invStd[c0 + c]);   // γ·invstd folded: one multiply-add per value
                        t[c] = (float)shift[c0 + c];
                    }
                    var job = new RowsJob(px + c0, null, py + c0, constants, width, channels);
                    TwoHalves.OverRows(&NormalizeAcross<TF, TD>, (nint)(&job), outer, TwoHalves.SplitRows(outer, width), worker);
                }
                return;
            }
            fixed (double* pm = mean, pi = invStd, pk = scale, pa = shift)
            {
                var job = new RunsJob(px, null, null, py, layout, first, pm, pi, pk, pa, null);
                TwoHalves.OverChannels(&NormalizeRuns<TF, TD>, (nint)(&job), end - first, (long)(end - first) * layout.CountPerChannel, worker);
            }
        }
    }

    /// <summary>y = γ ⊙ ((x − μ_r)·invstd_r) + β along each row (μ, γ, β optional).</summary>
    public static void NormalizeRows(ReadOnlySpan<float> x, ChannelLayout rows, ReadOnlySpan<double> mean, ReadOnlySpan<double> invStd,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, VectorWidth width)
    {
        switch (width)
        {
            case VectorWidth.Bits512: NormalizeRows<Float512, Double512>(x, rows, mean, invStd, gamma, beta, y); break;
            case VectorWidth.Bits256: NormalizeRows<Float256, Double256>(x, rows, mean, invStd, gamma, beta, y); break;
            default: NormalizeRows<Float128, Double128>(x, rows, mean, invStd, gamma, beta, y); break;
        }
    }

    private static void NormalizeRows<TF, TD>(ReadOnlySpan<float> x, ChannelLayout rows, ReadOnlySpan<double> mean, ReadOnlySpan<double> invStd,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        int d = rows.Inner;
        fixed (float* px = x, py = y, pg = gamma, pb = beta)
            for (int r = 0; r < rows.Channels; r++)
                NormalizeRow<TF, TD>(px + r * d, d, mean.IsEmpty ? 0 : (float)mean[r], (float)invStd[r], pg, pb, py + r * d);
    }

    /// <summary>One row of <see cref="NormalizeRows"/>: γ and β may be null (1 and 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void NormalizeRow<TF, TD>(float* x, int d, float mean, float invStd, float* gamma, float* beta, float* y)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        TF muV = TF.Create(mean), sV = TF.Create(invStd);
        int j = 0;
        for (; j <= d - TF.Count; j += TF.Count)
        {
            var h = (TF.Load(x + j) - muV) * sV;
            if (gamma != null) h *= TF.Load(gamma + j);
            if (beta != null) h += TF.Load(beta + j);
            h.Store(y + j);
        }
        for (; j < d; j++)
        {
            float h = (x[j] - mean) * invStd;
            y[j] = (gamma == null ? h : gamma[j] * h) + (beta == null ? 0 : beta[j]);
        }
    }

    /// <summary>dx = k·w·dy − a − b·x̂ with x̂ = (x − μ)·invstd recomputed, per channel, for the channels first…end−1.</summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> weight, ReadOnlySpan<float> x, ChannelLayout layout,
        (int First, int End) block, ReadOnlySpan<double> mean, ReadOnlySpan<double> invStd, ReadOnlySpan<double> k, ReadOnlySpan<double> a,
        ReadOnlySpan<double> b, Span<float> dx, VectorWidth width, Worker? worker = null)
    {
        switch (width)
        {
            case VectorWidth.Bits512: Backward<Float512, Double512>(dy, weight, x, layout, block, mean, invStd, k, a, b, dx, worker); break;
            case VectorWidth.Bits256: Backward<Float256, Double256>(dy, weight, x, layout, block, mean, invStd, k, a, b, dx, worker); break;
            default: Backward<Float128, Double128>(dy, weight, x, layout, block, mean, invStd, k, a, b, dx, worker); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Backward<TF, TD>(ReadOnlySpan<float> dy, ReadOnlySpan<float> weight, ReadOnlySpan<float> x, ChannelLayout layout,
        (int First, int End) block, ReadOnlySpan<double> mean, ReadOnlySpan<double> invStd, ReadOnlySpan<double> k, ReadOnlySpan<double> a,
        ReadOnlySpan<double> b, Span<float> dx, Worker? worker)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        var (outer, channels, inner) = layout;
        var (first, end) = block;
        fixed (float* pdy = dy, pw = weight, px = x, pdx = dx)
        {
            if (inner == 1 && pw == null)
            {
                // b·x̂ = (b·invstd)·(x − μ), and −a folds into the multiply-add: dx = k·dy − a − bs·(x − μ).
                float* constants = stackalloc float[4 * Math.Min(end - first, MaxStackChannels)];
                for (int c0 = first; c0 < end; c0 += MaxStackChannels)
                {
                    int width = Math.Min(MaxStackChannels, end - c0);
                    float* mu = constants, kc = constants + width, ac = constants + 2 * width, bs = constants + 3 * width;
                    for (int c = 0; c < width; c++)
                    {
                        mu[c] = mean.IsEmpty ? 0 : (float)mean[c0 + c];
                        kc[c] = (float)k[c0 + c];
                        ac[c] = (float)a[c0 + c];
                        bs[c] = (float)(b[c0 + c] * invStd[c0 + c]);
                    }
                    var job = new RowsJob(px + c0, pdy + c0, pdx + c0, constants, width, channels);
                    TwoHalves.OverRows(&BackwardAcross<TF, TD>, (nint)(&job), outer, TwoHalves.SplitRows(outer, width), worker);
                }
                return;
            }
            fixed (double* pm = mean, pi = invStd, pk = k, pa = a, pb = b)
            {
                var job = new RunsJob(px, pdy, pw, pdx, layout, first, mean.IsEmpty ? null : pm, pi, pk, pa, pb);
                TwoHalves.OverChannels(&BackwardRuns<TF, TD>, (nint)(&job), end - first, (long)(end - first) * layout.CountPerChannel, worker);
            }
        }
    }

    // ---- along the runs (Inner > 1): a block's channels, in two halves of whole channels when it is large (TwoHalves) ----

    /// <summary>
    /// What the halves of a pass along the runs read and write: channel c's runs are Inner values at
    /// (o·Channels + c)·Inner in x, dy (and w's values by position in the run) and the output; its constants are
    /// element c of the double arrays (μ null: 0). Channels are counted from <see cref="First"/>.
    /// </summary>
    private readonly struct RunsJob(float* x, float* dy, float* weight, float* output, ChannelLayout layout, int first, double* mean,
        double* invStd, double* p, double* q, double* r)
    {
        public readonly float* X = x, Dy = dy, Weight = weight, Output = output;
        public readonly ChannelLayout Layout = layout;
        public readonly int First = first;
        public readonly double* Mean = mean, InvStd = invStd;

        /// <summary>The pass's own constants: scale and shift to normalize; k, a and b backward.</summary>
        public readonly double* P = p, Q = q, R = r;
    }

    /// <summary>y = scale·(x − μ)·invstd + shift for the job's channels first…end−1 (P = scale, Q = shift).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NormalizeRuns<TF, TD>(nint job, int first, int end)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        ref readonly var j = ref *(RunsJob*)job;
        var (outer, channels, inner) = j.Layout;
        for (int o = 0; o < outer; o++)
            for (int c = j.First + first; c < j.First + end; c++)
            {
                long start = ((long)o * channels + c) * inner;
                float mean = (float)j.Mean[c], s = (float)(j.P[c] * j.InvStd[c]), t = (float)j.Q[c];
                float* x = j.X + start, y = j.Output + start;
                TF muV = TF.Create(mean), sV = TF.Create(s), tV = TF.Create(t);
                int i = 0;
                for (; i <= inner - TF.Count; i += TF.Count)
                    TF.MultiplyAdd(TF.Load(x + i) - muV, sV, tV).Store(y + i);
                for (; i < inner; i++) y[i] = (x[i] - mean) * s + t;
            }
    }

    /// <summary>dx = k·w·dy − a − b·invstd·(x − μ) for the job's channels first…end−1 (P = k, Q = a, R = b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardRuns<TF, TD>(nint job, int first, int end)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        ref readonly var j = ref *(RunsJob*)job;
        var (outer, channels, inner) = j.Layout;
        for (int o = 0; o < outer; o++)
            for (int c = j.First + first; c < j.First + end; c++)
            {
                long start = ((long)o * channels + c) * inner;
                BackwardRun<TF, TD>(j.Dy + start, j.Weight, j.X + start, j.Output + start, inner, j.Mean == null ? 0 : (float)j.Mean[c],
                    (float)j.P[c], (float)j.Q[c], (float)(j.R[c] * j.InvStd[c]));
            }
    }

    // ---- across channels (Inner = 1): a row of x meets the per-channel constants a vector of channels at a time ----
    // A large tensor is computed in two halves of its rows (TwoHalves); every value is computed the same way either way.

    /// <summary>
    /// What the halves read and write: rows of <see cref="Width"/> channels <see cref="Stride"/> apart in x (and dy) and
    /// the output, from the first channel; the per-channel constants as float rows of <see cref="Width"/>.
    /// </summary>
    private readonly struct RowsJob(float* x, float* dy, float* output, float* constants, int width, int stride)
    {
        public readonly float* X = x, Dy = dy, Output = output, Constants = constants;
        public readonly int Width = width, Stride = stride;
    }

    /// <summary>y = (x − μ)·s + t for rows first…end−1; the constants are μ, s = γ·invstd and t = β.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NormalizeAcross<TF, TD>(nint job, int first, int end)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        ref readonly var j = ref *(RowsJob*)job;
        int width = j.Width;
        float* mu = j.Constants, s = mu + width, t = s + width;
        for (int o = first; o < end; o++)
        {
            float* xr = j.X + (long)o * j.Stride, yr = j.Output + (long)o * j.Stride;
            int c = 0;
            for (; c <= width - TF.Count; c += TF.Count)
                TF.MultiplyAdd(TF.Load(xr + c) - TF.Load(mu + c), TF.Load(s + c), TF.Load(t + c)).Store(yr + c);
            for (; c < width; c++) yr[c] = (xr[c] - mu[c]) * s[c] + t[c];
        }
    }

    /// <summary>dx = k·dy − a − bs·(x − μ) for rows first…end−1; the constants are μ, k, a and bs = b·invstd.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardAcross<TF, TD>(nint job, int first, int end)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        ref readonly var j = ref *(RowsJob*)job;
        int width = j.Width;
        float* mu = j.Constants, kc = mu + width, ac = kc + width, bs = ac + width;
        for (int o = first; o < end; o++)
        {
            float* xr = j.X + (long)o * j.Stride, dyr = j.Dy + (long)o * j.Stride, dxr = j.Output + (long)o * j.Stride;
            int c = 0;
            for (; c <= width - TF.Count; c += TF.Count)
            {
                var kdy = TF.MultiplyAdd(TF.Load(kc + c), TF.Load(dyr + c), -TF.Load(ac + c));
                TF.MultiplyAddNegated(TF.Load(bs + c), TF.Load(xr + c) - TF.Load(mu + c), kdy).Store(dxr + c);
            }
            for (; c < width; c++) dxr[c] = kc[c] * dyr[c] - ac[c] - bs[c] * (xr[c] - mu[c]);
        }
    }

    /// <summary>dx = k·w·dy − a − bs·(x − μ) along one contiguous run (w null: 1), bs = b·invstd.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardRun<TF, TD>(float* dy, float* w, float* x, float* dx, int n, float mean, float k, float a, float bs)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        TF muV = TF.Create(mean), kV = TF.Create(k), aV = TF.Create(a), bV = TF.Create(bs);
        int i = 0;
        for (; i <= n - TF.Count; i += TF.Count)
        {
            var g = TF.Load(dy + i);
            if (w != null) g *= TF.Load(w + i);
            var kdy = TF.MultiplyAdd(kV, g, -aV);
            TF.MultiplyAddNegated(bV, TF.Load(x + i) - muV, kdy).Store(dx + i);
        }
        for (; i < n; i++)
        {
            float g = w == null ? dy[i] : w[i] * dy[i];
            dx[i] = k * g - a - bs * (x[i] - mean);
        }
    }
}

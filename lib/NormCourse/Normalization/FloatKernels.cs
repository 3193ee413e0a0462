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

    // Each row of per-channel constants starts a whole number of cache lines after the previous one.
    private static int ConstantPitch(int channels) =>
        (Math.Min(channels, MaxStackChannels) + Alignment.LineFloats - 1) / Alignment.LineFloats * Alignment.LineFloats;

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
                // stack, so at most MaxStackChannels of them at a time; each at the output's offset in a cache line, so
                // that the aligned stores of AlignedOutput read them aligned.
                int pitch = ConstantPitch(end - first);
                float* stack = stackalloc float[3 * pitch + Alignment.LineFloats];
                for (int c0 = first; c0 < end; c0 += MaxStackChannels)
                {
                    int width = Math.Min(MaxStackChannels, end - c0);
                    float* constants = Alignment.SamePhase(stack, py + c0);
                    float* mu = constants, s = constants + pitch, t = constants + 2 * pitch;
                    ToFloats(mean.Slice(c0, width), mu);
                    ProductToFloats(scale.Slice(c0, width), invStd.Slice(c0, width), s);   // γ·invstd folded: one multiply-add per value
                    ToFloats(shift.Slice(c0, width), t);
                    var job = new RowsJob(px + c0, null, py + c0, constants, pitch, width, channels);
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

    // The per-channel constants are converted a vector at a time, with the same roundings: one at a time, each double →
    // float conversion cost about 1 ns here (TensorPrimitives converts 1,024 in 0.08 µs). Zen 5, one thread, fastest of
    // 20,000 calls, three alternations: BatchNorm1d (2, 1024) forward 5.3–6.5 → 4.6 µs, backward 3.7–4.1 → 2.6–3.0.

    /// <summary>destination[c] = (float)source[c].</summary>
    private static void ToFloats(ReadOnlySpan<double> source, float* destination) =>
        TensorPrimitives.ConvertTruncating(source, new Span<float>(destination, source.Length));

    /// <summary>destination[c] = (float)(a[c]·b[c]), the product in double, through a chunk of doubles on the stack.</summary>
    private static void ProductToFloats(ReadOnlySpan<double> a, ReadOnlySpan<double> b, float* destination)
    {
        Span<double> chunk = stackalloc double[256];
        for (int i = 0; i < a.Length; i += chunk.Length)
        {
            var product = chunk[..Math.Min(chunk.Length, a.Length - i)];
            TensorPrimitives.Multiply(a.Slice(i, product.Length), b.Slice(i, product.Length), product);
            ToFloats(product, destination + i);
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
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD> =>
        AlignedOutput.Write<TF, TD, RowNormalized<TF, TD>>(y, d, new(x, mean, invStd, gamma, beta));

    /// <summary>γ ⊙ (x − μ)·invstd + β along a row.</summary>
    private readonly struct RowNormalized<TF, TD> : IElementwise<TF, TD>
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        private readonly float* x, gamma, beta;
        private readonly float mean, invStd;
        private readonly TF _mean, _invStd;   // the scalars broadcast, for Vector

        // Explicit and inlined: the JIT left a primary constructor that broadcasts as a call per row, the vectors going
        // through the stack.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public RowNormalized(float* x, float mean, float invStd, float* gamma, float* beta)
        {
            this.x = x;
            this.gamma = gamma;
            this.beta = beta;
            (this.mean, this.invStd) = (mean, invStd);
            (_mean, _invStd) = (TF.Create(mean), TF.Create(invStd));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TF Vector(int i)
        {
            var h = (TF.Load(x + i) - _mean) * _invStd;
            if (gamma != null) h *= TF.Load(gamma + i);
            if (beta != null) h += TF.Load(beta + i);
            return h;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float One(int i)
        {
            float h = (x[i] - mean) * invStd;
            return (gamma == null ? h : gamma[i] * h) + (beta == null ? 0 : beta[i]);
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
                // As Normalize's constants: on the stack, at dx's offset in a cache line.
                int pitch = ConstantPitch(end - first);
                float* stack = stackalloc float[4 * pitch + Alignment.LineFloats];
                for (int c0 = first; c0 < end; c0 += MaxStackChannels)
                {
                    int width = Math.Min(MaxStackChannels, end - c0);
                    float* constants = Alignment.SamePhase(stack, pdx + c0);
                    float* mu = constants, kc = constants + pitch, ac = constants + 2 * pitch, bs = constants + 3 * pitch;
                    if (mean.IsEmpty) new Span<float>(mu, width).Clear();
                    else ToFloats(mean.Slice(c0, width), mu);
                    ToFloats(k.Slice(c0, width), kc);
                    ToFloats(a.Slice(c0, width), ac);
                    ProductToFloats(b.Slice(c0, width), invStd.Slice(c0, width), bs);
                    var job = new RowsJob(px + c0, pdy + c0, pdx + c0, constants, pitch, width, channels);
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
                var run = new RunNormalized<TF, TD>(j.X + start, (float)j.Mean[c], (float)(j.P[c] * j.InvStd[c]), (float)j.Q[c]);
                AlignedOutput.Write<TF, TD, RunNormalized<TF, TD>>(j.Output + start, inner, run);
            }
    }

    /// <summary>(x − μ)·s + t along a run of one channel.</summary>
    private readonly struct RunNormalized<TF, TD> : IElementwise<TF, TD>
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        private readonly float* x;
        private readonly float mean, s, t;
        private readonly TF _mean, _s, _t;   // the scalars broadcast, for Vector

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public RunNormalized(float* x, float mean, float s, float t)
        {
            this.x = x;
            (this.mean, this.s, this.t) = (mean, s, t);
            (_mean, _s, _t) = (TF.Create(mean), TF.Create(s), TF.Create(t));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TF Vector(int i) => TF.MultiplyAdd(TF.Load(x + i) - _mean, _s, _t);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float One(int i) => (x[i] - mean) * s + t;
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
    /// the output, from the first channel; the per-channel constants as float rows <see cref="Pitch"/> apart.
    /// </summary>
    private readonly struct RowsJob(float* x, float* dy, float* output, float* constants, int pitch, int width, int stride)
    {
        public readonly float* X = x, Dy = dy, Output = output, Constants = constants;
        public readonly int Pitch = pitch, Width = width, Stride = stride;
    }

    /// <summary>y = (x − μ)·s + t for rows first…end−1; the constants are μ, s = γ·invstd and t = β.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NormalizeAcross<TF, TD>(nint job, int first, int end)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        ref readonly var j = ref *(RowsJob*)job;
        int width = j.Width;
        float* mu = j.Constants, s = mu + j.Pitch, t = s + j.Pitch;
        for (int o = first; o < end; o++)
            AlignedOutput.Write<TF, TD, RowNormalizedAcross<TF, TD>>(j.Output + (long)o * j.Stride, width, new(j.X + (long)o * j.Stride, mu, s, t));
    }

    /// <summary>(x − μ_c)·s_c + t_c along a row of channels.</summary>
    private readonly struct RowNormalizedAcross<TF, TD>(float* x, float* mu, float* s, float* t) : IElementwise<TF, TD>
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TF Vector(int c) => TF.MultiplyAdd(TF.Load(x + c) - TF.Load(mu + c), TF.Load(s + c), TF.Load(t + c));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float One(int c) => (x[c] - mu[c]) * s[c] + t[c];
    }

    /// <summary>dx = k·dy − a − bs·(x − μ) for rows first…end−1; the constants are μ, k, a and bs = b·invstd.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardAcross<TF, TD>(nint job, int first, int end)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        ref readonly var j = ref *(RowsJob*)job;
        int width = j.Width;
        float* mu = j.Constants, kc = mu + j.Pitch, ac = kc + j.Pitch, bs = ac + j.Pitch;
        for (int o = first; o < end; o++)
        {
            long row = (long)o * j.Stride;
            AlignedOutput.Write<TF, TD, RowGradientAcross<TF, TD>>(j.Output + row, width, new(j.Dy + row, j.X + row, mu, kc, ac, bs));
        }
    }

    /// <summary>k_c·dy − a_c − bs_c·(x − μ_c) along a row of channels.</summary>
    private readonly struct RowGradientAcross<TF, TD>(float* dy, float* x, float* mu, float* k, float* a, float* bs) : IElementwise<TF, TD>
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TF Vector(int c) =>
            TF.MultiplyAddNegated(TF.Load(bs + c), TF.Load(x + c) - TF.Load(mu + c), TF.MultiplyAdd(TF.Load(k + c), TF.Load(dy + c), -TF.Load(a + c)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float One(int c) => k[c] * dy[c] - a[c] - bs[c] * (x[c] - mu[c]);
    }

    /// <summary>
    /// dx = k·w·dy − a − bs·(x − μ) along one contiguous run (w null: 1), bs = b·invstd; written past the caches when
    /// <paramref name="pastCache"/> (<see cref="AlignedOutput.WritePastCache"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardRun<TF, TD>(float* dy, float* w, float* x, float* dx, int n, float mean, float k, float a, float bs,
        bool pastCache = false)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        if (pastCache) AlignedOutput.WritePastCache<TF, TD, RunGradient<TF, TD>>(dx, n, new(dy, w, x, mean, k, a, bs));
        else AlignedOutput.Write<TF, TD, RunGradient<TF, TD>>(dx, n, new(dy, w, x, mean, k, a, bs));
    }

    /// <summary>k·w·dy − a − bs·(x − μ) along a run.</summary>
    private readonly struct RunGradient<TF, TD> : IElementwise<TF, TD>
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        private readonly float* dy, w, x;
        private readonly float mean, k, a, bs;
        private readonly TF _mean, _k, _a, _bs;   // the scalars broadcast, for Vector

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public RunGradient(float* dy, float* w, float* x, float mean, float k, float a, float bs)
        {
            this.dy = dy;
            this.w = w;
            this.x = x;
            (this.mean, this.k, this.a, this.bs) = (mean, k, a, bs);
            (_mean, _k, _a, _bs) = (TF.Create(mean), TF.Create(k), TF.Create(a), TF.Create(bs));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TF Vector(int i)
        {
            var g = TF.Load(dy + i);
            if (w != null) g *= TF.Load(w + i);
            return TF.MultiplyAddNegated(_bs, TF.Load(x + i) - _mean, TF.MultiplyAdd(_k, g, -_a));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float One(int i)
        {
            float g = w == null ? dy[i] : w[i] * dy[i];
            return k * g - a - bs * (x[i] - mean);
        }
    }
}

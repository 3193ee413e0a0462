using System.Runtime.CompilerServices;
using NormCourse.Tensors;
using NormCourse.Tensors.Simd;

namespace NormCourse.Normalization;

/// <summary>
/// <see cref="Moments"/> for float32 data in vectors: the same reductions with double accumulators, TF.Count floats
/// loaded at a time (16 with AVX-512, 8 with AVX2, 4 with SSE or NEON) and widened to two vectors of TD.Count doubles.
/// Each entry point takes the <see cref="VectorWidth"/> to run, as <see cref="FloatKernels"/>' do.
/// </summary>
/// <remarks>
/// <para>
/// The variance takes one pass over shifted data instead of two (Chan, Golub &amp; LeVeque 1983): with K the
/// channel's first value, d = x − K in double, σ² = Σd²/m − (Σd/m)² and μ = K + Σd/m. The unshifted one-pass form
/// E[x²] − E[x]² cancels catastrophically when |μ| ≫ σ (normalization-semantics §6); the shifted one cancels only
/// as much as |K − μ| exceeds σ, and K, a value of the data, lies within a few σ of μ. In double that leaves an error
/// of order 10⁻¹⁶·(K − μ)²/σ², far below float32's resolution (the tests hold it to the two-pass loops at 10⁻⁹
/// with data at 10⁶). One pass reads the data once instead of twice.
/// </para>
/// <para>
/// A layout with Inner = 1 ((N, C) BatchNorm, and LayerNorm's per-element parameter gradients) has each channel's
/// values one row apart, so the vectors run across channels: a stripe of TF.Count channels is reduced down a block of
/// rows in registers, two rows a step. Otherwise they run along each channel's contiguous run with four accumulators, so that
/// the adder's latency never stalls a chain of dependent additions.
/// </para>
/// <para>
/// A large reduction is split in two (<see cref="TwoHalves"/>), the second half on the process's <see cref="Worker"/>
/// thread: across channels into two halves of the rows, each with its own sums, added in a fixed order; along the
/// runs into two halves of whole channels.
/// </para>
/// </remarks>
internal static unsafe class FloatMoments
{
    // An across-channel reduction (Inner = 1) takes its rows a block at a time, a stripe of TF.Count channels down the
    // block's rows before the next stripe: each row of the block is a stream read a line per stripe, the streams of a
    // block end together and the next block's rows start new ones. The hardware prefetcher learns each stream anew and
    // stops at page boundaries, so every load also prefetches the line PrefetchDistance floats further along its row,
    // and past the row's end the same place in the next block's row (Ahead). Rows of at most ShortRowBytes take blocks
    // of BlockBytes, wider rows blocks twice as large: L1d holds 48 KiB, and a short row's block has more rows in
    // flight. Zen 5, one thread (2026-12-03, these loops in a probe, fastest of 3,000 alternations in one process,
    // medians in brackets), against prefetching for short rows only, the same stripe one block on: statistics
    // (256, 1024) 23 → 19 µs [24 → 19], (4096, 256) 69 → 62 [72 → 64], (1024, 512) 34 → 34 [35 → 35], (2048, 384) 48 →
    // 48 [50 → 50]; sums (256, 1024) 43 → 36 [50 → 39], (4096, 256) 117 → 100 [124 → 104], (1024, 512) 64 → 59
    // [66 → 62], (2048, 384) 85 → 78 [88 → 81]. Distances of 64–192 floats within 5 % of each other; blocks of 16 KiB
    // for 1024-channel rows or 32 KiB for 256: 10–16 % slower. BatchNorm1d's forward+backward, median of 2,000, three
    // alternations: (256, 1024) 151–152 → 139–141 µs, (4096, 256) 538–552 → 526–544.
    private const int BlockBytes = 16 * 1024;
    private const int ShortRowBytes = 2048;
    private const int PrefetchDistance = 128;

    /// <summary>How many rows of <paramref name="channels"/> values of each of <paramref name="inputs"/> inputs a block holds.</summary>
    private static int RowsPerBlock(int channels, int inputs) =>
        Math.Max(1, (channels * sizeof(float) <= ShortRowBytes ? BlockBytes : 2 * BlockBytes) / (inputs * channels * sizeof(float)));

    /// <summary>
    /// How far a load of the stripe at channel <paramref name="c"/> prefetches: PrefetchDistance floats along its row
    /// (the row's length when shorter), or past the row's end as far into the same row of the next block.
    /// </summary>
    private static long Ahead(int c, int rows, int channels, int stride)
    {
        int distance = Math.Min(channels, PrefetchDistance);
        return c + distance < channels ? distance : (long)rows * stride + distance - channels;
    }

    /// <summary>μ and the biased σ² for channels first…end−1, by shifted sums.</summary>
    public static void MeanAndVariance(ReadOnlySpan<float> x, ChannelLayout layout, int first, int end, Span<double> mean, Span<double> variance,
        VectorWidth width, Worker? worker = null)
    {
        switch (width)
        {
            case VectorWidth.Bits512: MeanAndVariance<Float512, Double512>(x, layout, first, end, mean, variance, worker); break;
            case VectorWidth.Bits256: MeanAndVariance<Float256, Double256>(x, layout, first, end, mean, variance, worker); break;
            default: MeanAndVariance<Float128, Double128>(x, layout, first, end, mean, variance, worker); break;
        }
    }

    private static void MeanAndVariance<TF, TD>(ReadOnlySpan<float> x, ChannelLayout layout, int first, int end, Span<double> mean,
        Span<double> variance, Worker? worker)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        var (outer, channels, inner) = layout;
        double m = layout.CountPerChannel;
        mean[first..end].Clear();
        variance[first..end].Clear();
        fixed (float* px = x)
        fixed (double* ps1 = mean, ps2 = variance)
        {
            // Σd into mean and Σd² into variance first, d = x − K_c with K_c = x[0, c, 0].
            if (inner == 1)
            {
                var job = new RowsJob(px + first, null, null, end - first, channels, ps1 + first, ps2 + first);
                SumRows(&ShiftedSumsOfRows<TF, TD>, &job, outer, worker);
            }
            else
            {
                var job = new RunsJob(px, null, null, null, layout, first, ps1, ps2);
                TwoHalves.OverChannels(&ShiftedSumsOfRuns<TF, TD>, (nint)(&job), end - first, (long)(end - first) * layout.CountPerChannel, worker);
            }
            // Σd/m and Σd²/m a vector at a time: divisions one at a time cost more than a small batch's pass.
            TensorPrimitives.Divide(mean[first..end], m, mean[first..end]);
            TensorPrimitives.Divide(variance[first..end], m, variance[first..end]);
        }
        ShiftBack(x, inner, first, end, mean, variance);
    }

    /// <summary>
    /// From the shifted means Σd/m and Σd²/m to μ = K + Σd/m and σ² = max(0, Σd²/m − (Σd/m)²), a chunk of channels at
    /// a time in vectors: one channel at a time this took 0.9 µs of BatchNorm1d (2, 1024)'s forward on Zen 5.
    /// </summary>
    private static void ShiftBack(ReadOnlySpan<float> x, int inner, int first, int end, Span<double> mean, Span<double> variance)
    {
        Span<double> shifts = stackalloc double[256], squares = stackalloc double[256];
        for (int c = first; c < end; c += shifts.Length)
        {
            int n = Math.Min(shifts.Length, end - c);
            Span<double> k = shifts[..n], square = squares[..n], mu = mean.Slice(c, n), v = variance.Slice(c, n);
            if (inner == 1) TensorPrimitives.ConvertTruncating(x.Slice(c, n), k);
            else
                for (int i = 0; i < n; i++) k[i] = x[(c + i) * inner];
            TensorPrimitives.Multiply(mu, mu, square);
            TensorPrimitives.Subtract(v, square, v);
            TensorPrimitives.Max(v, 0, v);
            TensorPrimitives.Add(k, mu, mu);
        }
    }

    /// <summary>(1/m) Σ x² per channel.</summary>
    public static void MeanSquare(ReadOnlySpan<float> x, ChannelLayout layout, Span<double> meanSquare, VectorWidth width)
    {
        switch (width)
        {
            case VectorWidth.Bits512: MeanSquare<Float512, Double512>(x, layout, meanSquare); break;
            case VectorWidth.Bits256: MeanSquare<Float256, Double256>(x, layout, meanSquare); break;
            default: MeanSquare<Float128, Double128>(x, layout, meanSquare); break;
        }
    }

    private static void MeanSquare<TF, TD>(ReadOnlySpan<float> x, ChannelLayout layout, Span<double> meanSquare)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        var (outer, channels, inner) = layout;
        meanSquare[..channels].Clear();
        fixed (float* px = x)
        fixed (double* ps = meanSquare)
        {
            for (int o = 0; o < outer; o++)
                for (int c = 0; c < channels; c++)
                {
                    float* run = px + (o * channels + c) * inner;
                    if (inner == 1) ps[c] += (double)run[0] * run[0];
                    else ps[c] += SumOfSquares<TF, TD>(run, inner);
                }
            for (int c = 0; c < channels; c++) ps[c] /= layout.CountPerChannel;
        }
    }

    /// <summary>
    /// Σ w·a and Σ w·a·(b − center_c) for channels first…end−1, w = weight[i mod Inner] (all ones when empty; empty
    /// when Inner = 1), center zero when empty.
    /// </summary>
    public static void SumAndDot(ReadOnlySpan<float> a, ReadOnlySpan<float> weight, ReadOnlySpan<float> b, ReadOnlySpan<double> center,
        ChannelLayout layout, int first, int end, Span<double> sumA, Span<double> sumAB, VectorWidth width, Worker? worker = null)
    {
        switch (width)
        {
            case VectorWidth.Bits512: SumAndDot<Float512, Double512>(a, weight, b, center, layout, first, end, sumA, sumAB, worker); break;
            case VectorWidth.Bits256: SumAndDot<Float256, Double256>(a, weight, b, center, layout, first, end, sumA, sumAB, worker); break;
            default: SumAndDot<Float128, Double128>(a, weight, b, center, layout, first, end, sumA, sumAB, worker); break;
        }
    }

    private static void SumAndDot<TF, TD>(ReadOnlySpan<float> a, ReadOnlySpan<float> weight, ReadOnlySpan<float> b, ReadOnlySpan<double> center,
        ChannelLayout layout, int first, int end, Span<double> sumA, Span<double> sumAB, Worker? worker)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        var (outer, channels, inner) = layout;
        sumA[first..end].Clear();
        sumAB[first..end].Clear();
        fixed (float* pa = a, pw = weight, pb = b)
        fixed (double* ps = sumA, pd = sumAB, pc = center)
        {
            float* w = weight.IsEmpty ? null : pw;
            double* mu = center.IsEmpty ? null : pc;
            if (inner == 1)
            {
                var job = new RowsJob(pa + first, pb + first, mu == null ? null : mu + first, end - first, channels, ps + first, pd + first);
                SumRows(&SumAndDotOfRows<TF, TD>, &job, outer, worker);
                return;
            }
            var runs = new RunsJob(pa, pb, w, mu, layout, first, ps, pd);
            TwoHalves.OverChannels(&SumAndDotOfRuns<TF, TD>, (nint)(&runs), end - first, (long)(end - first) * layout.CountPerChannel, worker);
        }
    }

    // ---- along a contiguous run ----

    /// <summary>
    /// Σ(x − K) and Σ(x − K)² along a run, in double. With <paramref name="toNext"/> (the floats from this run to the one
    /// read after it; 0: none) the next run is prefetched as this one is read (<see cref="PrefetchAlong"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Sum, double SumOfSquares) ShiftedSums<TF, TD>(float* x, int n, double shift, long toNext = 0)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        var k = TD.Create(shift);
        TD s0 = default, s1 = default, s2 = default, s3 = default;
        TD q0 = default, q1 = default, q2 = default, q3 = default;
        int i = 0;
        for (; i <= n - 2 * TF.Count; i += 2 * TF.Count)
        {
            if (toNext != 0) PrefetchAlong<TF, TD>(x + toNext + i);
            AddShifted<TF, TD>(x + i, k, k, ref s0, ref s1, ref q0, ref q1);
            AddShifted<TF, TD>(x + i + TF.Count, k, k, ref s2, ref s3, ref q2, ref q3);
        }
        for (; i <= n - TF.Count; i += TF.Count) AddShifted<TF, TD>(x + i, k, k, ref s0, ref s1, ref q0, ref q1);
        double sum = ((s0 + s1) + (s2 + s3)).Sum(), squares = ((q0 + q1) + (q2 + q3)).Sum();
        for (; i < n; i++)
        {
            double d = x[i] - shift;
            sum += d;
            squares += d * d;
        }
        return (sum, squares);
    }

    /// <summary>Σx² along a run, in double; <paramref name="toNext"/> as in <see cref="ShiftedSums"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SumOfSquares<TF, TD>(float* x, int n, long toNext = 0)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        TD s0 = default, s1 = default, s2 = default, s3 = default;
        int i = 0;
        for (; i <= n - 2 * TF.Count; i += 2 * TF.Count)
        {
            if (toNext != 0) PrefetchAlong<TF, TD>(x + toNext + i);
            var (lo, hi) = TF.LoadWidened(x + i);
            var (lo2, hi2) = TF.LoadWidened(x + i + TF.Count);
            s0 = TD.MultiplyAdd(lo, lo, s0);
            s1 = TD.MultiplyAdd(hi, hi, s1);
            s2 = TD.MultiplyAdd(lo2, lo2, s2);
            s3 = TD.MultiplyAdd(hi2, hi2, s3);
        }
        for (; i <= n - TF.Count; i += TF.Count)
        {
            var (lo, hi) = TF.LoadWidened(x + i);
            s0 = TD.MultiplyAdd(lo, lo, s0);
            s1 = TD.MultiplyAdd(hi, hi, s1);
        }
        double sum = ((s0 + s1) + (s2 + s3)).Sum();
        for (; i < n; i++) sum += (double)x[i] * x[i];
        return sum;
    }

    /// <summary>
    /// Prefetches the lines of the two vectors at <paramref name="address"/>, the step of the loops above: one line
    /// with 256-bit vectors or narrower, two with 512-bit ones.
    /// </summary>
    /// <remarks>
    /// The row normalizations read a row's successor into L1 while they sum the row, as their backward pass does
    /// (<see cref="FloatRowNorm"/>): a row of 1024 floats is a 4 KiB page, and the hardware prefetcher stops at each
    /// page's end and learns the next page anew. Zen 5, one thread, the forward alone on (4096, 1024), median of 41
    /// alternating in one process, three runs: RMSNorm 866–904 → 728–763 µs, LayerNorm 1,050–1,105 → 763–814, against
    /// 684–685 for a loop that only sums each row in float and writes y = k·x with the same prefetch.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchAlong<TF, TD>(float* address)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        Prefetch.Line(address);
        if (2 * TF.Count > Alignment.LineFloats) Prefetch.Line(address + Alignment.LineFloats);
    }

    /// <summary>
    /// The floats from the run of channel <paramref name="c"/> at outer index <paramref name="o"/> to the run the loops
    /// over channels first…end−1 (inner) and every outer index read next, or 0 after the last.
    /// </summary>
    /// <remarks>
    /// The (N, C, L) reductions prefetch that run as they read one: a block's runs at one outer index lie together, and
    /// the next outer index's start a whole tensor row on, where the hardware prefetcher has to find them anew. Zen 5,
    /// one thread, BatchNorm2d forward+backward, median of 41 alternating in one process, three runs: (64, 64, 32, 32)
    /// (16 MiB, from memory) 4,712–4,858 → 3,369–3,516 µs with both reductions prefetching (4,314–4,407 with the
    /// statistics alone); (32, 16, 28, 28), whose tensors stay in L3 between calls, 161–163 → 157.
    /// </remarks>
    internal static long ToNextRun(ChannelLayout layout, int o, int c, int first, int end)
    {
        var (outer, channels, inner) = layout;
        if (c + 1 < end) return inner;
        return o + 1 < outer ? (long)(channels - c + first) * inner : 0;
    }

    /// <summary>Σw·a and Σw·a·(b − center) along a run; <paramref name="toNext"/> as in <see cref="ShiftedSums"/>, for a and b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Sum, double Dot) SumAndDot<TF, TD>(float* a, float* w, float* b, int n, double center, long toNext)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        var mu = TD.Create(center);
        TD s0 = default, s1 = default, d0 = default, d1 = default;
        int i = 0;
        for (; i <= n - TF.Count; i += TF.Count)
        {
            if (toNext != 0)
            {
                Prefetch.Line(a + toNext + i);
                Prefetch.Line(b + toNext + i);
            }
            var av = w == null ? TF.LoadWidened(a + i) : (TF.Load(a + i) * TF.Load(w + i)).Widen();
            AddCentredProducts(av, TF.LoadWidened(b + i), mu, mu, ref s0, ref s1, ref d0, ref d1);
        }
        double sum = (s0 + s1).Sum(), dot = (d0 + d1).Sum();
        for (; i < n; i++)
        {
            double ai = w != null ? a[i] * w[i] : a[i];
            sum += ai;
            dot += ai * (b[i] - center);
        }
        return (sum, dot);
    }

    // ---- along the runs (Inner > 1): a block's channels, in two halves of whole channels when it is large ----

    /// <summary>
    /// What the halves of a reduction along the runs read and write: channel c's runs are Inner values at
    /// A + (o·Channels + c)·Inner (and the same offsets in B), its sums Sum[c] and Second[c]; channels are counted from
    /// <see cref="First"/>.
    /// </summary>
    private readonly struct RunsJob(float* a, float* b, float* weight, double* center, ChannelLayout layout, int first, double* sum, double* second)
    {
        public readonly float* A = a, B = b, Weight = weight;
        public readonly double* Center = center, Sum = sum, Second = second;
        public readonly ChannelLayout Layout = layout;
        public readonly int First = first;
    }

    /// <summary>Σ(x − K_c) and Σ(x − K_c)² for the job's channels first…end−1 (x in A), K_c = the channel's first value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ShiftedSumsOfRuns<TF, TD>(nint job, int first, int end)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        ref readonly var j = ref *(RunsJob*)job;
        var (outer, channels, inner) = j.Layout;
        for (int o = 0; o < outer; o++)
            for (int c = j.First + first; c < j.First + end; c++)
            {
                long toNext = ToNextRun(j.Layout, o, c, j.First + first, j.First + end);
                var (s1, s2) = ShiftedSums<TF, TD>(j.A + ((long)o * channels + c) * inner, inner, j.A[(long)c * inner], toNext);
                j.Sum[c] += s1;
                j.Second[c] += s2;
            }
    }

    /// <summary>Σw·a and Σw·a·(b − μ_c) for the job's channels first…end−1 (w null: 1, μ null: 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumAndDotOfRuns<TF, TD>(nint job, int first, int end)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        ref readonly var j = ref *(RunsJob*)job;
        var (outer, channels, inner) = j.Layout;
        for (int o = 0; o < outer; o++)
            for (int c = j.First + first; c < j.First + end; c++)
            {
                long start = ((long)o * channels + c) * inner;
                long toNext = ToNextRun(j.Layout, o, c, j.First + first, j.First + end);
                var (s, d) = SumAndDot<TF, TD>(j.A + start, j.Weight, j.B + start, inner, j.Center == null ? 0 : j.Center[c], toNext);
                j.Sum[c] += s;
                j.Second[c] += d;
            }
    }

    // ---- across channels (Inner = 1): element c of a row belongs to channel c ----
    // A large reduction is summed in two halves of the rows (TwoHalves), each into its own sums, which are then added.

    /// <summary>
    /// What the halves of an across-channel reduction read and write: <see cref="A"/> (and <see cref="B"/>) from the
    /// first channel, <see cref="Channels"/> of every row, rows <see cref="Stride"/> apart; each half adds into its
    /// own pair of per-channel sums.
    /// </summary>
    private struct RowsJob(float* a, float* b, double* center, int channels, int stride, double* sum, double* second)
    {
        public readonly float* A = a, B = b;
        public readonly double* Center = center;
        public readonly int Channels = channels, Stride = stride;
        public readonly double* Sum = sum, Second = second;

        /// <summary>The upper half's sums, when the rows split.</summary>
        public double* UpperSum, UpperSecond;
    }

    /// <summary>Runs <paramref name="sumRows"/> over all rows, in two halves with separate sums when the reduction is large.</summary>
    private static void SumRows(delegate*<nint, int, int, void> sumRows, RowsJob* job, int rows, Worker? worker)
    {
        int channels = job->Channels;
        if (!TwoHalves.SplitRows(rows, channels))
        {
            sumRows((nint)job, 0, rows);
            return;
        }
        double* upper = stackalloc double[2 * channels];
        new Span<double>(upper, 2 * channels).Clear();
        job->UpperSum = upper;
        job->UpperSecond = upper + channels;
        TwoHalves.OverRows(sumRows, (nint)job, rows, split: true, worker);
        Span<double> sum = new(job->Sum, channels), second = new(job->Second, channels);
        TensorPrimitives.Add(sum, new ReadOnlySpan<double>(upper, channels), sum);
        TensorPrimitives.Add(second, new ReadOnlySpan<double>(upper + channels, channels), second);
    }

    /// <summary>Σ(x − K) and Σ(x − K)² over rows first…end−1 of a <see cref="RowsJob"/> (x in A, K its first row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ShiftedSumsOfRows<TF, TD>(nint job, int first, int end)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        ref readonly var j = ref *(RowsJob*)job;
        bool upper = first > 0;
        double* sum = upper ? j.UpperSum : j.Sum, squares = upper ? j.UpperSecond : j.Second;
        for (int o = first, block = RowsPerBlock(j.Channels, inputs: 1); o < end; o += block)
            AddShiftedSumsAcross<TF, TD>(j.A + (long)o * j.Stride, Math.Min(block, end - o), j.Channels, j.Stride, j.A, sum, squares);
    }

    /// <summary>Σa and Σa·(b − μ) over rows first…end−1 of a <see cref="RowsJob"/> (μ in Center, null for 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumAndDotOfRows<TF, TD>(nint job, int first, int end)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        ref readonly var j = ref *(RowsJob*)job;
        bool upper = first > 0;
        double* sum = upper ? j.UpperSum : j.Sum, dot = upper ? j.UpperSecond : j.Second;
        for (int o = first, block = RowsPerBlock(j.Channels, inputs: 2); o < end; o += block)
            AddSumAndDotAcross<TF, TD>(j.A + (long)o * j.Stride, j.B + (long)o * j.Stride, Math.Min(block, end - o), j.Channels, j.Stride,
                j.Center, sum, dot);
    }

    // A block of rows (RowsPerBlock) is reduced two stripes of TF.Count channels at a time into the per-channel
    // accumulators, which are loaded and stored once per block. Two stripes side by side rather than one stripe's even
    // and odd rows in two chains, as before: BatchNorm1d's statistics and sums (the layer's kernels, Zen 5, one thread,
    // medians of 3,000 alternating in one process, two runs) (256, 1024) 24.0 → 21.5–22.2 µs and 44.4–44.5 → 39.8–40.1,
    // (4096, 256) 79–102 → 75–91 and 155–200 → 143–177.
    // Stripe after stripe each row's lines are read in order (and prefetched, Ahead);
    // a stripe of channels down all rows instead would jump a row's length every load (4 KiB for 1024 channels: a new
    // page and a new cache line each time).

    /// <summary>
    /// Adds Σ(x − K_c) and Σ(x − K_c)² over <paramref name="rows"/> rows of <paramref name="channels"/> values,
    /// <paramref name="stride"/> apart, into sum[c] and squares[c]; K is <paramref name="shift"/>, the first row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddShiftedSumsAcross<TF, TD>(float* x, int rows, int channels, int stride, float* shift, double* sum, double* squares)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        int c = 0, half = TD.Count;
        while (c <= channels - TF.Count)
        {
            // Two stripes side by side down the rows, each its own chain of additions (a last stripe alone runs the same
            // loop with its second stripe a copy of the first, whose sums are dropped).
            bool pair = c + 2 * TF.Count <= channels;
            int second = pair ? TF.Count : 0;
            long ahead = Ahead(c, rows, channels, stride);
            var (k0, k1) = TF.LoadWidened(shift + c);
            var (k2, k3) = TF.LoadWidened(shift + c + second);
            TD s0 = TD.Load(sum + c), s1 = TD.Load(sum + c + half), s2 = pair ? TD.Load(sum + c + 2 * half) : default;
            TD s3 = pair ? TD.Load(sum + c + 3 * half) : default;
            TD q0 = TD.Load(squares + c), q1 = TD.Load(squares + c + half), q2 = pair ? TD.Load(squares + c + 2 * half) : default;
            TD q3 = pair ? TD.Load(squares + c + 3 * half) : default;
            for (float* row = x + c, end = x + c + (long)rows * stride; row < end; row += stride)
            {
                Prefetch.Line(row + ahead);
                Prefetch.Line(row + second + ahead);
                AddShifted<TF, TD>(row, k0, k1, ref s0, ref s1, ref q0, ref q1);
                AddShifted<TF, TD>(row + second, k2, k3, ref s2, ref s3, ref q2, ref q3);
            }
            StorePairs(sum + c, s0, s1, s2, s3, pair);
            StorePairs(squares + c, q0, q1, q2, q3, pair);
            c += pair ? 2 * TF.Count : TF.Count;
        }
        // Channels left over from the wide stripes go on four at a time rather than one by one, whose sums wait on each
        // other through memory: BatchNorm1d (60, 100), the §4.1 network's layers, forward 2.4 → 1.6 µs and backward
        // 2.5 → 1.9 (Zen 5, fastest of 20,000).
        if (typeof(TF) != typeof(Float128) && channels - c >= Float128.Count)
        {
            AddShiftedSumsAcross<Float128, Double128>(x + c, rows, channels - c, stride, shift + c, sum + c, squares + c);
            return;
        }
        for (; c < channels; c++)
            for (int o = 0; o < rows; o++)
            {
                double d = x[o * stride + c] - (double)shift[c];
                sum[c] += d;
                squares[c] += d * d;
            }
    }

    /// <summary>
    /// Adds Σa and Σa·(b − μ_c) over <paramref name="rows"/> rows of <paramref name="channels"/> values,
    /// <paramref name="stride"/> apart, into sum[c] and dot[c]; a null <paramref name="center"/> means μ = 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddSumAndDotAcross<TF, TD>(float* a, float* b, int rows, int channels, int stride, double* center, double* sum, double* dot)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        int c = 0, half = TD.Count;
        long toB = b - a;
        while (c <= channels - TF.Count)
        {
            // Two stripes side by side, as in AddShiftedSumsAcross.
            bool pair = c + 2 * TF.Count <= channels;
            int second = pair ? TF.Count : 0;
            long ahead = Ahead(c, rows, channels, stride);
            TD m0 = center == null ? default : TD.Load(center + c), m1 = center == null ? default : TD.Load(center + c + half);
            TD m2 = center == null ? default : TD.Load(center + c + second);
            TD m3 = center == null ? default : TD.Load(center + c + second + half);
            TD s0 = TD.Load(sum + c), s1 = TD.Load(sum + c + half), s2 = pair ? TD.Load(sum + c + 2 * half) : default;
            TD s3 = pair ? TD.Load(sum + c + 3 * half) : default;
            TD d0 = TD.Load(dot + c), d1 = TD.Load(dot + c + half), d2 = pair ? TD.Load(dot + c + 2 * half) : default;
            TD d3 = pair ? TD.Load(dot + c + 3 * half) : default;
            for (float* row = a + c, end = a + c + (long)rows * stride; row < end; row += stride)
            {
                Prefetch.Line(row + ahead);
                Prefetch.Line(row + second + ahead);
                Prefetch.Line(row + toB + ahead);
                Prefetch.Line(row + toB + second + ahead);
                AddCentredProducts(TF.LoadWidened(row), TF.LoadWidened(row + toB), m0, m1, ref s0, ref s1, ref d0, ref d1);
                AddCentredProducts(TF.LoadWidened(row + second), TF.LoadWidened(row + toB + second), m2, m3, ref s2, ref s3, ref d2, ref d3);
            }
            StorePairs(sum + c, s0, s1, s2, s3, pair);
            StorePairs(dot + c, d0, d1, d2, d3, pair);
            c += pair ? 2 * TF.Count : TF.Count;
        }
        // Left-over channels four at a time, as in AddShiftedSumsAcross.
        if (typeof(TF) != typeof(Float128) && channels - c >= Float128.Count)
        {
            AddSumAndDotAcross<Float128, Double128>(a + c, b + c, rows, channels - c, stride, center == null ? null : center + c, sum + c, dot + c);
            return;
        }
        for (; c < channels; c++)
            for (int o = 0; o < rows; o++)
            {
                double ai = a[o * stride + c];
                sum[c] += ai;
                dot[c] += ai * (b[o * stride + c] - (center == null ? 0 : center[c]));
            }
    }

    // ---- the steps both the runs and the across-channel loops take, on floats widened to two vectors of doubles ----

    /// <summary>
    /// Stores a stripe's sums (two vectors of doubles) at <paramref name="sums"/>, and the next stripe's after them when
    /// <paramref name="pair"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePairs<TD>(double* sums, TD first0, TD first1, TD second0, TD second1, bool pair)
        where TD : struct, IDoubleVector<TD>
    {
        first0.Store(sums);
        first1.Store(sums + TD.Count);
        if (!pair) return;
        second0.Store(sums + 2 * TD.Count);
        second1.Store(sums + 3 * TD.Count);
    }

    /// <summary>d = x − K for the vector of floats at x; Σd into (s0, s1) and Σd² into (q0, q1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddShifted<TF, TD>(float* x, TD k0, TD k1, ref TD s0, ref TD s1, ref TD q0, ref TD q1)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        var (lo, hi) = TF.LoadWidened(x);
        lo -= k0;
        hi -= k1;
        s0 += lo;
        s1 += hi;
        q0 = TD.MultiplyAdd(lo, lo, q0);
        q1 = TD.MultiplyAdd(hi, hi, q1);
    }

    /// <summary>Σa into (s0, s1) and Σa·(b − μ) into (d0, d1), a and b widened.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddCentredProducts<TD>((TD Lower, TD Upper) a, (TD Lower, TD Upper) b, TD m0, TD m1, ref TD s0, ref TD s1, ref TD d0,
        ref TD d1)
        where TD : struct, IDoubleVector<TD>
    {
        var (alo, ahi) = a;
        var (blo, bhi) = b;
        s0 += alo;
        s1 += ahi;
        d0 = TD.MultiplyAdd(alo, blo - m0, d0);
        d1 = TD.MultiplyAdd(ahi, bhi - m1, d1);
    }
}

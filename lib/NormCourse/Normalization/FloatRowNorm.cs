using System.Runtime.CompilerServices;
using NormCourse.Tensors;
using NormCourse.Tensors.Simd;

namespace NormCourse.Normalization;

/// <summary>
/// <see cref="RowNorm{T}"/>'s work for float32 in vectors of any width (<see cref="FloatKernels"/>), one row at a time: a row of D values (4 KiB for
/// D = 1024) stays in the L1 cache while every pass over it runs, so each row is read from memory once forward
/// (statistics, then normalize) and once backward (sums, then dx), and x̂ is never stored. Rows are independent, so a
/// large tensor's two halves of rows run on two threads (<see cref="TwoHalves"/>).
/// </summary>
/// <remarks>
/// The row statistics accumulate in double as in <see cref="FloatMoments"/> (one pass over shifted data). The parameter
/// gradients dγ, dβ are column sums over all rows: they accumulate in float over at most <see cref="FlushRows"/> rows
/// (relative error below 32·2⁻²⁴ ≈ 2·10⁻⁶) and then in double, which keeps the inner loop in single-width vectors.
/// </remarks>
internal static unsafe class FloatRowNorm
{
    private const int FlushRows = 32;

    /// <summary>
    /// The size above which the backward pass writes dx past the caches (<see cref="AlignedOutput.WritePastCache"/>):
    /// x, dy and dx then come to more than 24 MiB, and dx is out of the cache before its reader comes (measured below).
    /// </summary>
    /// <remarks>
    /// Zen 5, one thread, the layers' forward+backward followed by a pass that reads dx (its sum), alternating in one
    /// process, fastest of 87 (16 MiB) or 177 calls, three runs (two for the smaller), rows of 1024 floats: 4096 rows
    /// (16 MiB) LayerNorm 2,114–2,200 → 2,005–2,014 µs, RMSNorm 1,871–1,951 → 1,804–1,898 (without the reader
    /// 1,779–1,824 → 1,588–1,620 and 1,606–1,634 → 1,435–1,452); 2048 rows (8 MiB) even (LayerNorm 909–910 against
    /// 922–931); 1024 rows (4 MiB) slower (375–423 against 420–454), its reader then finding dx in the cache. The
    /// forward's y written past the caches was slower at 16 MiB (580 → 689 µs): not done.
    /// </remarks>
    internal const long PastCacheBytes = 8L << 20;

    /// <summary>Whether <see cref="Backward"/> writes dx for <paramref name="rows"/> rows of <paramref name="d"/> past the caches.</summary>
    internal static bool WritesPastCache(int rows, int d) => (long)rows * d * sizeof(float) > PastCacheBytes;

    /// <summary>
    /// The floats of scratch <see cref="Backward"/> needs for rows of <paramref name="d"/>: dγ's and dβ's float column
    /// sums, each placed in a page as <see cref="Alignment.HalfAPageFrom"/> says.
    /// </summary>
    public static int BlockSumsLength(int d) => 2 * (d + Alignment.PageFloats);

    /// <summary>
    /// For every row: μ (centred) or 0, the spread (σ², or the mean square when not centred), invstd = 1/√(spread + ε)
    /// and y = γ ⊙ (x − μ)·invstd + β. γ and β may be null.
    /// </summary>
    public static void Forward(float* x, int rows, int d, bool centred, double eps, float* gamma, float* beta,
        double* mean, double* spread, double* invStd, float* y, VectorWidth width, Worker? worker = null)
    {
        var job = new ForwardJob(x, d, centred, eps, gamma, beta, mean, spread, invStd, y);
        bool split = TwoHalves.SplitRows(rows, d);   // rows are independent: every row is computed the same way either way
        switch (width)
        {
            case VectorWidth.Bits512: TwoHalves.OverRows(&ForwardRows<Float512, Double512>, (nint)(&job), rows, split, worker); break;
            case VectorWidth.Bits256: TwoHalves.OverRows(&ForwardRows<Float256, Double256>, (nint)(&job), rows, split, worker); break;
            default: TwoHalves.OverRows(&ForwardRows<Float128, Double128>, (nint)(&job), rows, split, worker); break;
        }
    }

    /// <summary>What the forward pass's halves read and write.</summary>
    private readonly struct ForwardJob(float* x, int d, bool centred, double eps, float* gamma, float* beta, double* mean, double* spread,
        double* invStd, float* y)
    {
        public readonly float* X = x, Gamma = gamma, Beta = beta, Y = y;
        public readonly int D = d;
        public readonly bool Centred = centred;
        public readonly double Eps = eps;
        public readonly double* Mean = mean, Spread = spread, InvStd = invStd;
    }

    /// <summary>Rows first…end−1 of the forward pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRows<TF, TD>(nint job, int first, int end)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        ref readonly var j = ref *(ForwardJob*)job;
        int d = j.D;
        for (int r = first; r < end; r++)
        {
            float* xr = j.X + (long)r * d;
            double mu = 0, s2;
            // The statistics' pass reads the row from memory and prefetches the next (FloatMoments.PrefetchAlong).
            if (j.Centred)
            {
                // One pass over shifted data, as FloatMoments.MeanAndVariance explains: K = the row's first value.
                var (sum, squares) = FloatMoments.ShiftedSums<TF, TD>(xr, d, xr[0], toNext: d);
                double meanShift = sum / d;
                mu = xr[0] + meanShift;
                s2 = Math.Max(0, squares / d - meanShift * meanShift);
            }
            else s2 = FloatMoments.SumOfSquares<TF, TD>(xr, d, toNext: d) / d;
            j.Mean[r] = mu;
            j.Spread[r] = s2;
            j.InvStd[r] = 1.0 / Math.Sqrt(s2 + j.Eps);
            FloatKernels.NormalizeRow<TF, TD>(xr, d, (float)mu, (float)j.InvStd[r], j.Gamma, j.Beta, j.Y + (long)r * d);
        }
    }

    /// <summary>
    /// dx = s·(g − Σg/D − x̂·Σ(g ⊙ x̂)/D) per row (no Σg term when not centred), g = γ ⊙ dy, and, when
    /// <paramref name="dGamma"/> is not null, dγ += Σ_rows dy ⊙ x̂ and (when <paramref name="dBeta"/> is not null)
    /// dβ += Σ_rows dy. <paramref name="blockSums"/> holds <see cref="BlockSumsLength"/>(D) floats of scratch.
    /// </summary>
    public static void Backward(float* x, float* dy, int rows, int d, bool centred, double* mean, double* invStd, float* gamma,
        double* dGamma, double* dBeta, float* blockSums, float* dx, VectorWidth width, Worker? worker = null)
    {
        var job = new BackwardJob(x, dy, d, centred, mean, invStd, gamma, dGamma, dBeta, blockSums, dx, WritesPastCache(rows, d));
        // Split rows keep the upper half's column sums apart, added to the lower half's in a fixed order below.
        bool split = TwoHalves.SplitRows(rows, d), upperSums = dGamma != null && split;
        double* upperTotals = stackalloc double[upperSums ? 2 * d : 0];
        float* upperBlock = stackalloc float[upperSums ? BlockSumsLength(d) : 0];
        if (upperSums)
        {
            new Span<double>(upperTotals, 2 * d).Clear();
            job.UpperDGamma = upperTotals;
            job.UpperDBeta = dBeta == null ? null : upperTotals + d;
            job.UpperBlockSums = upperBlock;
        }
        switch (width)
        {
            case VectorWidth.Bits512: TwoHalves.OverRows(&BackwardRows<Float512, Double512>, (nint)(&job), rows, split, worker); break;
            case VectorWidth.Bits256: TwoHalves.OverRows(&BackwardRows<Float256, Double256>, (nint)(&job), rows, split, worker); break;
            default: TwoHalves.OverRows(&BackwardRows<Float128, Double128>, (nint)(&job), rows, split, worker); break;
        }
        if (!upperSums) return;
        TensorPrimitives.Add(new ReadOnlySpan<double>(dGamma, d), new ReadOnlySpan<double>(upperTotals, d), new Span<double>(dGamma, d));
        if (dBeta != null)
            TensorPrimitives.Add(new ReadOnlySpan<double>(dBeta, d), new ReadOnlySpan<double>(upperTotals + d, d), new Span<double>(dBeta, d));
    }

    /// <summary>What the backward pass's halves read and write; the upper half has its own column sums.</summary>
    private struct BackwardJob(float* x, float* dy, int d, bool centred, double* mean, double* invStd, float* gamma, double* dGamma,
        double* dBeta, float* blockSums, float* dx, bool pastCache)
    {
        public readonly float* X = x, Dy = dy, Gamma = gamma, BlockSums = blockSums, Dx = dx;
        public readonly int D = d;
        public readonly bool Centred = centred, PastCache = pastCache;
        public readonly double* Mean = mean, InvStd = invStd, DGamma = dGamma, DBeta = dBeta;
        public double* UpperDGamma, UpperDBeta;
        public float* UpperBlockSums;
    }

    /// <summary>Rows first…end−1 of the backward pass, their column sums flushed into their half's totals.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardRows<TF, TD>(nint job, int first, int end)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        ref readonly var j = ref *(BackwardJob*)job;
        int d = j.D;
        bool upper = first > 0;
        double* dGamma = upper ? j.UpperDGamma : j.DGamma, dBeta = upper ? j.UpperDBeta : j.DBeta;
        // The column sums begin on cache lines, as the rows' vectors do once AlignedInput has read them, and half a page
        // from the rows' lines: the first pass stores into them while it reads x and dy, and its first loads of them
        // follow the dx pass's last stores. LayerNorm (4096, 1024)'s backward on Zen 5 (fastest of 40, three runs) with
        // the sums 256 bytes below the rows' lines, where the dx pass's last stores fall: 1,486–1,494 µs; 256 bytes above:
        // 1,390–1,607; a quarter or half a page away: 1,330–1,407. Unplaced, they fell where their allocation put them.
        float* rowsLine = j.X + (long)first * d;
        float* blockGamma = Alignment.HalfAPageFrom(upper ? j.UpperBlockSums : j.BlockSums, rowsLine);
        float* blockBeta = Alignment.HalfAPageFrom(blockGamma + d, rowsLine);
        if (dGamma != null)
        {
            new Span<float>(blockGamma, d).Clear();
            new Span<float>(blockBeta, d).Clear();
        }
        float* sumsGamma = dGamma == null ? null : blockGamma, sumsBeta = dBeta == null ? null : blockBeta;
        for (int r = first; r < end; r++)
        {
            long offset = (long)r * d;
            float* xr = j.X + offset, dyr = j.Dy + offset;
            float mu = (float)j.Mean[r], s = (float)j.InvStd[r];
            var (sumG, sumGXhat) = TF.CanShift
                ? RowSums<TF, TD, LoadedTogether>(xr, dyr, d, mu, s, j.Gamma, j.Centred, sumsGamma, sumsBeta)
                : RowSums<TF, TD, LoadedInTurn>(xr, dyr, d, mu, s, j.Gamma, j.Centred, sumsGamma, sumsBeta);
            double a = j.Centred ? j.InvStd[r] * sumG / d : 0, b = j.InvStd[r] * sumGXhat / d;
            FloatKernels.BackwardRun<TF, TD>(dyr, j.Gamma, xr, j.Dx + offset, d, mu, s, (float)a, (float)(b * j.InvStd[r]), j.PastCache);
            if (dGamma != null && ((r - first + 1) % FlushRows == 0 || r == end - 1))
            {
                Flush<TF, TD>(blockGamma, dGamma, d);
                if (dBeta != null) Flush<TF, TD>(blockBeta, dBeta, d);
            }
        }
        if (j.PastCache) AlignedOutput.FinishPastCache();
    }

    /// <summary>
    /// Σg·x̂ along one row in double, and Σg when <paramref name="centred"/> (RMSNorm needs no Σg: nothing was
    /// subtracted); with <paramref name="blockGamma"/> also dy·x̂ into the column sums, with <paramref name="blockBeta"/>
    /// dy.
    /// </summary>
    /// <remarks>
    /// Four vectors of terms are added in float before one widening to double: widening every vector (two conversions
    /// and two double additions per vector) made this loop, not the memory, the backward pass's limit. With the
    /// vectorised <see cref="Flush"/>, LayerNorm (4096,1024) backward went from 2.7 to 2.1 ms on the course's machine.
    /// A float sum of four terms adds a relative error below 3·2⁻²⁴ of their magnitudes, the size of the rounding the
    /// float inputs already carry.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double SumG, double SumGXhat) RowSums<TF, TD, TFour>(float* x, float* dy, int d, float mean, float invStd, float* gamma,
        bool centred, float* blockGamma, float* blockBeta)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD> where TFour : IFourVectors
    {
        var terms = new RowTerms<TF, TD>(x, dy, d, mean, invStd, gamma, blockGamma, blockBeta);
        TD g0 = default, g1 = default, h0 = default, h1 = default;
        int j = 0, lanes = TF.Count;
        for (; j <= d - 4 * lanes; j += 4 * lanes)
        {
            var ((ga, pa), (gb, pb), (gc, pc), (gd, pd)) = TFour.At(in terms, j);
            AddWidened((pa + pb) + (pc + pd), ref h0, ref h1);
            if (centred) AddWidened((ga + gb) + (gc + gd), ref g0, ref g1);
        }
        for (; j <= d - lanes; j += lanes)
        {
            var (g, p) = terms.At(j);
            AddWidened(p, ref h0, ref h1);
            if (centred) AddWidened(g, ref g0, ref g1);
        }
        double sumG = (g0 + g1).Sum(), sumGXhat = (h0 + h1).Sum();
        for (; j < d; j++)
        {
            float h = (x[j] - mean) * invStd, g = gamma == null ? dy[j] : gamma[j] * dy[j];
            sumG += g;
            sumGXhat += g * h;
            if (blockGamma != null) blockGamma[j] += dy[j] * h;
            if (blockBeta != null) blockBeta[j] += dy[j];
        }
        return (sumG, sumGXhat);
    }

    /// <summary>
    /// How <see cref="RowSums"/> reads four vectors of a row: <see cref="LoadedTogether"/> where a permute cuts them
    /// out of aligned blocks (AVX-512), <see cref="LoadedInTurn"/> otherwise. Two instantiations, so that each loop is
    /// compiled alone: with both in one method the JIT stopped inlining the vector operators (ten times slower).
    /// </summary>
    private interface IFourVectors
    {
        static abstract ((TF G, TF GXhat), (TF G, TF GXhat), (TF G, TF GXhat), (TF G, TF GXhat)) At<TF, TD>(in RowTerms<TF, TD> terms, int j)
            where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>;
    }

    /// <summary>The four vectors' x, dy and γ loaded before any of their terms is made (<see cref="RowTerms{TF, TD}.At4"/>).</summary>
    private readonly struct LoadedTogether : IFourVectors
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ((TF G, TF GXhat), (TF G, TF GXhat), (TF G, TF GXhat), (TF G, TF GXhat)) At<TF, TD>(in RowTerms<TF, TD> terms, int j)
            where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD> => terms.At4(j);
    }

    /// <summary>
    /// Each vector's inputs loaded as its terms are made: twelve vectors loaded ahead do not fit AVX2's sixteen registers
    /// (LayerNorm (256, 1024)'s backward without AVX-512 went from 50 to 58–64 µs when they were).
    /// </summary>
    private readonly struct LoadedInTurn : IFourVectors
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ((TF G, TF GXhat), (TF G, TF GXhat), (TF G, TF GXhat), (TF G, TF GXhat)) At<TF, TD>(in RowTerms<TF, TD> terms, int j)
            where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD> =>
            (terms.At(j), terms.At(j + TF.Count), terms.At(j + 2 * TF.Count), terms.At(j + 3 * TF.Count));
    }

    /// <summary>
    /// A row's terms a vector at a time: g = γ ⊙ dy and g ⊙ x̂ for the values at j, adding dy·x̂ and dy into the column
    /// sums that are not null. x, dy and γ are read through <see cref="AlignedInput{TF, TD}"/>: this pass reads the row
    /// from memory, and its vectors are the ones the sums' lanes need in index order. The next row (d floats on) is
    /// prefetched as this one is read.
    /// </summary>
    private readonly struct RowTerms<TF, TD>
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        private readonly AlignedInput<TF, TD> _x, _dy, _gamma;
        private readonly TF _mean, _invStd;
        private readonly float* _blockGamma, _blockBeta, _nextX, _nextDy;
        private readonly bool _scaled;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public RowTerms(float* x, float* dy, int d, float mean, float invStd, float* gamma, float* blockGamma, float* blockBeta)
        {
            (_x, _dy, _gamma) = (new(x), new(dy), new(gamma));
            _nextX = x + d;
            _nextDy = dy + d;
            (_mean, _invStd) = (TF.Create(mean), TF.Create(invStd));
            _blockGamma = blockGamma;
            _blockBeta = blockBeta;
            _scaled = gamma != null;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public (TF G, TF GXhat) At(int j) => Of(j, _x.Load(j), _dy.Load(j), _scaled ? _gamma.Load(j) : default);

        /// <summary>
        /// The terms of the four vectors at j, j + Count, j + 2·Count and j + 3·Count, their x, dy and γ all loaded first,
        /// each input with five aligned loads instead of eight (<see cref="AlignedInput{TF, TD}.Load4"/>). On Zen 5 (one
        /// thread, fastest of 40, three alternations) LayerNorm (4096, 1024)'s backward went from 1,370–1,479 to
        /// 1,079–1,172 µs and RMSNorm's from 1,150–1,170 to 921–981; the same five loads per input issued as each vector
        /// needed them gained little (1,297–1,317 against 1,312–1,412).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ((TF G, TF GXhat), (TF G, TF GXhat), (TF G, TF GXhat), (TF G, TF GXhat)) At4(int j)
        {
            int n = TF.Count;
            var (x0, x1, x2, x3) = _x.Load4(j);
            var (dy0, dy1, dy2, dy3) = _dy.Load4(j);
            var (w0, w1, w2, w3) = _scaled ? _gamma.Load4(j) : default;
            return (Of(j, x0, dy0, w0), Of(j + n, x1, dy1, w1), Of(j + 2 * n, x2, dy2, w2), Of(j + 3 * n, x3, dy3, w3));
        }

        /// <summary>The terms of the vector at j from its x, dy and γ (unused when the layer has no γ).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private (TF G, TF GXhat) Of(int j, TF xv, TF dyv, TF gammav)
        {
            // The next row's x and dy into L1 while this row is summed: this pass stores into the column sums, and a
            // store cannot leave the core before the loads ahead of it are answered, so loads that wait on L2 or memory
            // hold the stores up and with them the loop. Zen 5, one thread, the benchmark table's LayerNorm (4096, 1024)
            // forward+backward alternating three times: 2,024–2,122 → 1,987–2,049 µs, RMSNorm 1,803–1,810 → 1,725–1,765.
            // Two rows ahead was slower. A prefetch past the tensor's end (after its last row) is harmless.
            Prefetch.Line(_nextX + j);
            Prefetch.Line(_nextDy + j);
            var h = (xv - _mean) * _invStd;
            var g = _scaled ? dyv * gammav : dyv;
            if (_blockGamma != null) TF.MultiplyAdd(dyv, h, TF.Load(_blockGamma + j)).Store(_blockGamma + j);
            if (_blockBeta != null) (TF.Load(_blockBeta + j) + dyv).Store(_blockBeta + j);
            return (g, g * h);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddWidened<TF, TD>(TF v, ref TD lower, ref TD upper)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        var (lo, hi) = v.Widen();
        lower += lo;
        upper += hi;
    }

    /// <summary>
    /// Adds the float column sums into the double ones and zeroes them, vectorised: done every
    /// <see cref="FlushRows"/> rows, a scalar loop here cost a fifth of the backward pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Flush<TF, TD>(float* block, double* total, int d)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        int j = 0, half = TD.Count;
        for (; j <= d - TF.Count; j += TF.Count)
        {
            var (lo, hi) = TF.LoadWidened(block + j);
            (TD.Load(total + j) + lo).Store(total + j);
            (TD.Load(total + j + half) + hi).Store(total + j + half);
            TF.Zero.Store(block + j);
        }
        for (; j < d; j++)
        {
            total[j] += block[j];
            block[j] = 0;
        }
    }
}

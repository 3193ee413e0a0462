using System.Buffers;
using System.Runtime.CompilerServices;

namespace NormCourse.Tensors;

/// <summary>
/// The float32 matrix multiply C += op(A)·op(B) with vector fused multiply-adds, shaped for the course's matrices
/// (a batch of 2–256 rows, widths 10–1024), on one thread or, for large products, two (<see cref="Worker"/>). Runs on AVX-512 (512-bit vectors), AVX2 with FMA
/// (256-bit, most laptops) and Arm64 (128-bit); <see cref="IsSupported"/> says whether one of them is present.
/// </summary>
/// <remarks>
/// The GotoBLAS scheme in its smallest form. C is computed in 12×16 tiles (AVX-512), each held in 12 rows of accumulator
/// registers for a whole 256-deep block of the reduction index p: every step broadcasts 12 values of a column of op(A)
/// and multiplies them with one 16-wide row of op(B), 12 fused multiply-adds for 13 loads. op(B) is packed per block
/// into panels of 16 columns, each a contiguous run of 16-value rows, whatever its transposition (Linear's forward
/// x·Wᵀ gathers, its backward dy·W and dyᵀ·x copy); op(A) is packed a tile's rows at a time, except Aᵀ whose columns
/// are already contiguous. Ragged edges are zero-padded in the packed copies and only the valid part of a tile is
/// written back. Heights that 12-row tiles fit badly take 10-, 8- or 6-row tiles (<see cref="TileHeight{TRow}"/>;
/// 6 or 4 rows for the narrower widths below).
/// <para>
/// A panel row is 16 floats on every machine; how they sit in registers is the type argument
/// <see cref="IPanelRow{TSelf}"/>: one 512-bit vector (AVX-512), two 256-bit (AVX2+FMA) or four 128-bit (Arm64).
/// Narrower rows take more registers each: the 32 registers of AVX-512 hold 12 rows of accumulators, the 16 of AVX2
/// (two registers a row) and the 32 of Arm64 (four a row) 6. One source serves all widths; the JIT compiles a copy
/// per width, and the 512-bit copy measured within 1–3 % of the kernel written for 512 bits alone.
/// </para>
/// <para>
/// op(B) is packed for all of k first; then C's row tiles are computed, on a machine with two or more cores half of them
/// by <see cref="Worker"/>'s thread when the product is large enough (<see cref="SharedFlops"/>). Each element of C is
/// computed by one thread in the same order as on one, so the results are the same floats either way.
/// </para>
/// </remarks>
internal static unsafe class PackedGemm
{
    private const int MaxMr = 12, Nr = 16, Kc = 256;

    /// <summary>
    /// The most rows of C for which x·Wᵀ (op(B) transposed, op(A) not) is computed as dot products of contiguous rows,
    /// no panel packed: a batch of 2–6 rows, or a convolution's 6 filters against its columns (dY·colsᵀ). Packing the
    /// transposed B costs about as much as the product for so few rows, and the dot products (<see cref="AddDots"/>)
    /// came out faster up to 6 rows and not from 8 (course's machine, 2026-12-04, one thread, packed → dots): with
    /// AVX-512, two rows of A at once, (2, 100, 784) 14.8 → 3.4 µs, (4, 100, 784) 15.6 → 7.2, (6, 25, 2352) 12.9 → 9.5,
    /// (8, 100, 784) 16.2 → 13.7–25.8 over runs; with AVX2, one row at a time, 14.7 → 6.8, 14.2 → 13.6, 16.3 → 15.8.
    /// </summary>
    private const int DotRows = 6;

    /// <summary>True when some panel-row width runs in hardware with fused multiply-adds.</summary>
    public static bool IsSupported => PanelRow512.IsAccelerated || PanelRow256.IsAccelerated || PanelRow128.IsAccelerated;

    /// <summary>C (m×n) += op(A)·op(B); not both transposed. The widest accelerated panel row runs.</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> a, bool transposeA, ReadOnlySpan<float> b, bool transposeB,
        Span<float> c, int m, int n, int k)
    {
        var worker = Worker.Shared;
        if (PanelRow512.IsAccelerated) MultiplyAdd<PanelRow512>(a, transposeA, b, transposeB, c, m, n, k, worker);
        else if (PanelRow256.IsAccelerated) MultiplyAdd<PanelRow256>(a, transposeA, b, transposeB, c, m, n, k, worker);
        else MultiplyAdd<PanelRow128>(a, transposeA, b, transposeB, c, m, n, k, worker);
    }

    /// <summary>
    /// C (m×n) += op(A)·op(B) with panel rows held as <typeparamref name="TRow"/>; not both transposed. With a
    /// <paramref name="worker"/>, a product of at least <see cref="SharedFlops"/> splits its row tiles with it.
    /// </summary>
    internal static void MultiplyAdd<TRow>(ReadOnlySpan<float> a, bool transposeA, ReadOnlySpan<float> b, bool transposeB,
        Span<float> c, int m, int n, int k, Worker? worker = null) where TRow : struct, IPanelRow<TRow>
    {
        // x·Wᵀ with a width that is not a multiple of 16 (a Linear layer of 100 units): the last few columns are rows of
        // W, contiguous like the rows of x, so they are dot products — a 16-wide panel for them would be mostly padding
        // (for n = 100, 12 of every 112 columns' multiply-adds).
        // With at most DotRows rows every column is a dot product, and nothing is packed.
        bool dotsTail = transposeB && !transposeA;
        int tiled = !dotsTail ? n : m <= DotRows ? 0 : n > Nr ? n - n % Nr : n;
        int panels = (tiled + Nr - 1) / Nr;
        // Equal blocks of at most Kc (784 → 4 × 196, not 3 × 256 + 16): a short last block pays the tile's
        // load and store of C for little work.
        int blockDepth = (k + (k + Kc - 1) / Kc - 1) / ((k + Kc - 1) / Kc);
        int mr = TileHeight<TRow>(m), tiles = (m + mr - 1) / mr;
        // Packing pays when many row tiles read each panel of op(B). With one or two (a convolution's 6 or 16 filters
        // over a chunk's columns) an untransposed B of whole panels is read where it lies, 16 contiguous values a row n
        // apart, rather than copied first. LeNet's convolutions' forward products over 64 images on the course's
        // machine: 222 → 144 µs (6 filters, 25-deep), 272 → 210 µs (16 filters, 150-deep). B must hold whole panels:
        // a ragged last one would read past B's end.
        bool inPlace = !transposeB && n % Nr == 0 && tiles <= 2;
        // Rented, not allocated: after the first call of a given size the pool hands the same array back.
        float[]? packedB = inPlace || panels == 0 ? null : ArrayPool<float>.Shared.Rent(k * panels * Nr);
        fixed (float* pa = a, pb = b, pc = c, bp = packedB)
        {
            // op(B) packed once, block by block, before the row tiles (possibly on two threads) read it.
            if (packedB is not null)
                for (int p0 = 0; p0 < k; p0 += blockDepth)
                    PackColumns<TRow>(pb, transposeB, tiled, k, p0, Math.Min(blockDepth, k - p0), bp + p0 * panels * Nr);
            var job = new Job(pa, transposeA, pb, bp, pc, m, n, k, tiled, panels, blockDepth, mr);
            bool shared = worker is not null && tiles > 1 && 2.0 * m * n * k >= SharedFlops
                && worker.TryRun(&RowTiles<TRow>, (nint)(&job), (tiles + 1) / 2, tiles);
            if (!shared) RowTiles<TRow>((nint)(&job), 0, tiles);
        }
        if (packedB is not null) ArrayPool<float>.Shared.Return(packedB);
    }

    /// <summary>
    /// The smallest product (2·m·n·k flops) that splits its row tiles with the worker. The worker's core must fetch what
    /// the caller's core just wrote — op(B)'s packed panels, the layer's input — line by line from the other core's
    /// cache, tens of microseconds whatever the split, so the gain grows with the arithmetic per byte. Measured alone on
    /// the course's machine (2026-12-04, one thread against two): (60, 100, 784), 9.4 MFLOP, 85 against 105 µs and
    /// (60, 784, 100) 71 against 97, slower shared; (256, 100, 784), 40 MFLOP, 341 against 230 and (256, 784, 100) 271
    /// against 212, faster. In the §4.1 network's training step, though, the layers' data crosses between the cores
    /// as well and the step lost either way: at batch 60, sharing every product from 4 MFLOP (as until then) took
    /// 300–327 µs against 250–263 on one thread; at batch 256, sharing those from 16 MFLOP took 1,061–1,197 against
    /// 1,013–1,024, and sharing none 961–1,051 against 947–1,011. So only products larger than any of the course's
    /// training steps take the worker.
    /// </summary>
    private const double SharedFlops = 64e6;

    /// <summary>A multiply with op(B) already packed, as the row tiles read it: what the worker is handed.</summary>
    /// <remarks>PackedB is null when op(B) is read where it lies (or, with no panels, not read by tiles at all).</remarks>
    private readonly struct Job(float* a, bool transposeA, float* b, float* packedB, float* c, int m, int n, int k, int tiled,
        int panels, int blockDepth, int mr)
    {
        public readonly float* A = a, B = b, PackedB = packedB, C = c;
        public readonly bool TransposeA = transposeA;
        public readonly int M = m, N = n, K = k, Tiled = tiled, Panels = panels, BlockDepth = blockDepth, Mr = mr;

        /// <summary>Where panel q of the block from p0 (kc deep) starts.</summary>
        public float* PanelOf(int p0, int kc, int q) => PackedB is null ? B + p0 * N + q * Nr : PackedB + p0 * Panels * Nr + q * kc * Nr;

        /// <summary>How far apart a panel's rows are: n values in B itself, 16 packed.</summary>
        public int PanelRowStep => PackedB is null ? N : Nr;
    }

    /// <summary>
    /// C's row tiles first…end−1 (of <see cref="Job.Mr"/> rows each): every block of the reduction in order, and then
    /// the dot-product columns past the tiled ones, for those rows.
    /// </summary>
    private static void RowTiles<TRow>(nint jobAddress, int first, int end) where TRow : struct, IPanelRow<TRow>
    {
        ref readonly Job job = ref *(Job*)jobAddress;
        int m = job.M, n = job.N, k = job.K, mr = job.Mr;
        float* pa = job.A, pc = job.C;
        float* packedA = stackalloc float[Kc * MaxMr + Nr]; // + Nr: a transposed block's last 16-wide store runs past
        int bStep = job.PanelRowStep;
        for (int p0 = 0; job.Panels > 0 && p0 < k; p0 += job.BlockDepth)
        {
            int kc = Math.Min(job.BlockDepth, k - p0);
            for (int i0 = first * mr; i0 < Math.Min(m, end * mr); i0 += mr)
            {
                int rows = Math.Min(mr, m - i0);
                // op(A)'s column p, rows i0…i0+mr−1, as mr values 'step' apart in memory.
                float* panel = packedA;
                int step = mr;
                if (job.TransposeA && rows == mr)
                {
                    panel = pa + p0 * m + i0;
                    step = m;
                }
                else PackRows<TRow>(pa, job.TransposeA, m, k, i0, rows, mr, p0, kc, packedA);
                for (int q = 0; q < job.Panels; q++)
                {
                    float* bq = job.PanelOf(p0, kc, q), cq = pc + i0 * n + q * Nr;
                    int cols = Math.Min(Nr, job.Tiled - q * Nr);
                    switch (mr)
                    {
                        case 12: Tile<Twelve, TRow>(kc, panel, step, bq, bStep, cq, n, rows, cols); break;
                        case 10: Tile<Ten, TRow>(kc, panel, step, bq, bStep, cq, n, rows, cols); break;
                        case 8: Tile<Eight, TRow>(kc, panel, step, bq, bStep, cq, n, rows, cols); break;
                        case 6: Tile<Six, TRow>(kc, panel, step, bq, bStep, cq, n, rows, cols); break;
                        default: Tile<Four, TRow>(kc, panel, step, bq, bStep, cq, n, rows, cols); break;
                    }
                }
            }
        }
        int last = Math.Min(m, end * mr);
        for (int j = job.Tiled; j < n; j += 4)
            for (int i = first * mr; i < last; i += TRow.DotRowsAtOnce)
                AddDots<TRow>(pa + i * k, Math.Min(TRow.DotRowsAtOnce, last - i), job.B + j * k, k, Math.Min(4, n - j), pc + i * n + j, n);
    }

    /// <summary>
    /// c[r·ldc + t] += Σ_p x[r·k + p]·y[t·k + p] for r &lt; <paramref name="rows"/> ≤ 2 and t &lt; <paramref name="count"/> ≤ 4:
    /// up to four dot products sharing each load of a row of x, for one or two rows of x sharing each load of y, in
    /// independent accumulators so that no chain of dependent multiply-adds waits on the previous one (with two rows,
    /// eight chains: enough to keep both FMA units busy, where four left half their slots empty).
    /// </summary>
    private static void AddDots<TRow>(float* x, int rows, float* y, int k, int count, float* c, int ldc) where TRow : struct, IPanelRow<TRow>
    {
        TRow s0 = default, s1 = default, s2 = default, s3 = default;
        TRow t0 = default, t1 = default, t2 = default, t3 = default;
        int p = 0;
        for (; p <= k - Nr; p += Nr)
        {
            var x0 = TRow.Load(x + p);
            var y0 = TRow.Load(y + p);
            s0 = TRow.MultiplyAdd(x0, y0, s0);
            var y1 = count > 1 ? TRow.Load(y + k + p) : default;
            var y2 = count > 2 ? TRow.Load(y + 2 * k + p) : default;
            var y3 = count > 3 ? TRow.Load(y + 3 * k + p) : default;
            if (count > 1) s1 = TRow.MultiplyAdd(x0, y1, s1);
            if (count > 2) s2 = TRow.MultiplyAdd(x0, y2, s2);
            if (count > 3) s3 = TRow.MultiplyAdd(x0, y3, s3);
            if (TRow.DotRowsAtOnce > 1 && rows > 1)   // a constant per width: one row's loop carries no second row
            {
                var x1 = TRow.Load(x + k + p);
                t0 = TRow.MultiplyAdd(x1, y0, t0);
                if (count > 1) t1 = TRow.MultiplyAdd(x1, y1, t1);
                if (count > 2) t2 = TRow.MultiplyAdd(x1, y2, t2);
                if (count > 3) t3 = TRow.MultiplyAdd(x1, y3, t3);
            }
        }
        float* sums = stackalloc float[8];
        sums[0] = TRow.Sum(s0);
        sums[1] = TRow.Sum(s1);
        sums[2] = TRow.Sum(s2);
        sums[3] = TRow.Sum(s3);
        sums[4] = TRow.Sum(t0);
        sums[5] = TRow.Sum(t1);
        sums[6] = TRow.Sum(t2);
        sums[7] = TRow.Sum(t3);
        for (int r = 0; r < rows; r++)
            for (int t = 0; t < count; t++)
            {
                float sum = sums[4 * r + t];
                for (int q = p; q < k; q++) sum += x[r * k + q] * y[t * k + q];
                c[r * ldc + t] += sum;
            }
    }

    /// <summary>Copies op(A)[i0…i0+rows, p0…p0+kc] as kc groups of mr (zero-padded past the last row).</summary>
    private static void PackRows<TRow>(float* a, bool transposeA, int m, int k, int i0, int rows, int mr, int p0, int kc, float* panel)
        where TRow : struct, IPanelRow<TRow>
    {
        if (rows < mr) new Span<float>(panel, Kc * mr).Clear();
        if (transposeA)
        {
            for (int p = 0; p < kc; p++)
                new ReadOnlySpan<float>(a + (p0 + p) * m + i0, rows).CopyTo(new Span<float>(panel + p * mr, rows));
            return;
        }
        // 16 p at a time through an in-register transpose of TRow.TransposeRows ≥ mr rows (rows past the mr-th, or past
        // m, repeat a valid one); each output row's values land at panel + p·mr and the next row overwrites the extras.
        float** src = stackalloc float*[Nr];
        for (int r = 0; r < TRow.TransposeRows; r++) src[r] = a + (i0 + Math.Min(r, rows - 1)) * k + p0;
        int p1 = 0;
        for (; p1 <= kc - Nr; p1 += Nr) TRow.Transpose(src, p1, panel + p1 * mr, mr);
        for (int r = 0; r < rows; r++)
            for (int p = p1; p < kc; p++) panel[p * mr + r] = src[r][p];
    }

    /// <summary>
    /// Copies op(B)[p0…p0+kc, all n columns] as panels of 16 columns, each kc rows of 16 contiguous values
    /// (the last panel zero-padded), so a tile reads its slice of B front to back.
    /// </summary>
    private static void PackColumns<TRow>(float* b, bool transposeB, int n, int k, int p0, int kc, float* packed)
        where TRow : struct, IPanelRow<TRow>
    {
        float** src = stackalloc float*[Nr];
        for (int j0 = 0; j0 < n; j0 += Nr)
        {
            int cols = Math.Min(Nr, n - j0);
            float* dst = packed + j0 * kc;
            if (cols < Nr) new Span<float>(dst, kc * Nr).Clear();
            if (transposeB)
            {
                for (int j = 0; j < Nr; j++) src[j] = b + (j0 + Math.Min(j, cols - 1)) * k + p0;
                int p1 = 0;
                if (cols == Nr)
                    for (; p1 <= kc - Nr; p1 += Nr)
                        for (int j = 0; j < Nr; j += TRow.TransposeRows) TRow.Transpose(src + j, p1, dst + p1 * Nr + j, Nr);
                for (int j = 0; j < cols; j++)
                    for (int p = p1; p < kc; p++) dst[p * Nr + j] = src[j][p];
            }
            else if (cols == Nr)
            {
                for (int p = 0; p < kc; p++) TRow.Store(TRow.Load(b + (p0 + p) * n + j0), dst + p * Nr);
            }
            else
            {
                for (int p = 0; p < kc; p++)
                    new ReadOnlySpan<float>(b + (p0 + p) * n + j0, cols).CopyTo(new Span<float>(dst + p * Nr, cols));
            }
        }
    }

    /// <summary>A tile height fixed when the JIT compiles <see cref="Tile{TRows, TRow}"/> for it, so unused rows cost nothing.</summary>
    private interface ITileRows
    {
        static abstract int Count { get; }
    }

    private readonly struct Twelve : ITileRows
    {
        public static int Count => 12;
    }

    private readonly struct Ten : ITileRows
    {
        public static int Count => 10;
    }

    private readonly struct Eight : ITileRows
    {
        public static int Count => 8;
    }

    private readonly struct Six : ITileRows
    {
        public static int Count => 6;
    }

    private readonly struct Four : ITileRows
    {
        public static int Count => 4;
    }

    /// <summary>
    /// The tile height for <paramref name="m"/> rows: the tallest of the width's heights (12, 10, 8, 6 for 512-bit
    /// rows) that computes at most 5 % padding rows, else the one that computes fewest. Taller tiles load less per
    /// multiply-add; a height that does not fit computes rows for nothing (a 100-unit layer's dW in 12-row tiles:
    /// 108 rows; a convolution's 6 or 16 filters: 12 or 24).
    /// </summary>
    private static int TileHeight<TRow>(int m) where TRow : struct, IPanelRow<TRow>
    {
        ReadOnlySpan<int> heights = TRow.TileHeights;
        int best = heights[0];
        foreach (int height in heights)
        {
            int computed = (m + height - 1) / height * height;
            if (computed <= m * 1.05) return height;
            if (computed < (m + best - 1) / best * best) best = height;
        }
        return best;
    }

    /// <summary>
    /// C[0…rows, 0…cols] += the product of a TRows×kc panel of A and a kc×16 panel of B (rows bStep apart), in TRows
    /// accumulator rows.
    /// Generic over the height and the row's vectors so that the JIT compiles one register-resident loop per pair
    /// (struct type arguments make <c>TRows.Count</c> a constant, drop the rows it excludes and inline the row's
    /// operations), rather than the source holding a copy per height and width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TRows, TRow>(int kc, float* a, int step, float* b, int bStep, float* c, int ldc, int rows, int cols)
        where TRows : struct, ITileRows where TRow : struct, IPanelRow<TRow>
    {
        TRow c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        TRow c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (int p = 0; p < kc; p++)
        {
            var y = TRow.Load(b);
            c0 = TRow.MultiplyAdd(a, y, c0);
            c1 = TRow.MultiplyAdd(a + 1, y, c1);
            c2 = TRow.MultiplyAdd(a + 2, y, c2);
            c3 = TRow.MultiplyAdd(a + 3, y, c3);
            if (TRows.Count > 4)
            {
                c4 = TRow.MultiplyAdd(a + 4, y, c4);
                c5 = TRow.MultiplyAdd(a + 5, y, c5);
            }
            if (TRows.Count > 6)
            {
                c6 = TRow.MultiplyAdd(a + 6, y, c6);
                c7 = TRow.MultiplyAdd(a + 7, y, c7);
            }
            if (TRows.Count > 8)
            {
                c8 = TRow.MultiplyAdd(a + 8, y, c8);
                c9 = TRow.MultiplyAdd(a + 9, y, c9);
            }
            if (TRows.Count > 10)
            {
                c10 = TRow.MultiplyAdd(a + 10, y, c10);
                c11 = TRow.MultiplyAdd(a + 11, y, c11);
            }
            a += step;
            b += bStep;
        }
        if (rows == TRows.Count && cols == Nr)
        {
            TRow.AddTo(c0, c); TRow.AddTo(c1, c + ldc); TRow.AddTo(c2, c + 2 * ldc); TRow.AddTo(c3, c + 3 * ldc);
            if (TRows.Count > 4)
            {
                TRow.AddTo(c4, c + 4 * ldc);
                TRow.AddTo(c5, c + 5 * ldc);
            }
            if (TRows.Count > 6)
            {
                TRow.AddTo(c6, c + 6 * ldc);
                TRow.AddTo(c7, c + 7 * ldc);
            }
            if (TRows.Count > 8)
            {
                TRow.AddTo(c8, c + 8 * ldc);
                TRow.AddTo(c9, c + 9 * ldc);
            }
            if (TRows.Count > 10)
            {
                TRow.AddTo(c10, c + 10 * ldc);
                TRow.AddTo(c11, c + 11 * ldc);
            }
            return;
        }
        float* tile = stackalloc float[MaxMr * Nr];
        TRow.Store(c0, tile); TRow.Store(c1, tile + Nr); TRow.Store(c2, tile + 2 * Nr); TRow.Store(c3, tile + 3 * Nr);
        TRow.Store(c4, tile + 4 * Nr); TRow.Store(c5, tile + 5 * Nr); TRow.Store(c6, tile + 6 * Nr); TRow.Store(c7, tile + 7 * Nr);
        TRow.Store(c8, tile + 8 * Nr); TRow.Store(c9, tile + 9 * Nr); TRow.Store(c10, tile + 10 * Nr); TRow.Store(c11, tile + 11 * Nr);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++) c[r * ldc + j] += tile[r * Nr + j];
    }
}

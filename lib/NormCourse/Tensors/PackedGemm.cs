using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormCourse.Tensors;

/// <summary>
/// The float32 matrix multiply C += op(A)·op(B) with 512-bit fused multiply-adds, shaped for the course's
/// matrices (a batch of 2–256 rows, widths 10–1024), single-threaded.
/// </summary>
/// <remarks>
/// The GotoBLAS scheme in its smallest form. C is computed in 12×16 tiles, each held in 12 vector registers
/// (16 floats each) for a whole 256-deep block of the reduction index p: every step broadcasts 12 values of a
/// column of op(A) and multiplies them with one 16-wide row of op(B), 12 fused multiply-adds for 13 loads.
/// op(B) is packed per block into panels of 16 columns, each a contiguous run of 16-value rows, whatever its
/// transposition (Linear's forward x·Wᵀ gathers, its backward dy·W and dyᵀ·x copy); op(A) is packed 12 rows at
/// a time, except Aᵀ whose columns are already contiguous. Ragged edges are zero-padded in the packed copies and
/// only the valid part of a tile is written back. Heights that 12-row tiles fit badly take 10-, 8- or 6-row tiles
/// (<see cref="TileHeight"/>).
/// Two threads were not tried: at the course's sizes one multiply takes tens of microseconds, about what
/// handing work to another thread costs.
/// </remarks>
internal static unsafe class PackedGemm
{
    private const int MaxMr = 12, Nr = 16, Kc = 256;

    /// <summary>True when the CPU runs 512-bit vectors natively (AVX-512F).</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>C (m×n) += op(A)·op(B); not both transposed.</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> a, bool transposeA, ReadOnlySpan<float> b, bool transposeB,
        Span<float> c, int m, int n, int k)
    {
        // x·Wᵀ with a width that is not a multiple of 16 (a Linear layer of 100 units): the last few columns are rows of
        // W, contiguous like the rows of x, so they are dot products — a 16-wide panel for them would be mostly padding
        // (for n = 100, 12 of every 112 columns' multiply-adds).
        int tiled = transposeB && !transposeA && n > Nr ? n - n % Nr : n;
        int panels = (tiled + Nr - 1) / Nr;
        int mr = TileHeight(m);
        // Rented, not allocated: after the first call of a given size the pool hands the same array back.
        float[] packedB = ArrayPool<float>.Shared.Rent(Kc * panels * Nr);
        float* packedA = stackalloc float[Kc * MaxMr + Nr]; // + Nr: a transposed block's last 16-wide store runs past
        var permutes = stackalloc Vector512<int>[8];
        TransposePermutes(permutes);
        fixed (float* pa = a, pb = b, pc = c, bp = packedB)
        {
            // Equal blocks of at most Kc (784 → 4 × 196, not 3 × 256 + 16): a short last block pays the tile's
            // load and store of C for little work.
            int blockDepth = (k + (k + Kc - 1) / Kc - 1) / ((k + Kc - 1) / Kc);
            for (int p0 = 0; p0 < k; p0 += blockDepth)
            {
                int kc = Math.Min(blockDepth, k - p0);
                PackColumns(pb, transposeB, tiled, k, p0, kc, bp, permutes);
                for (int i0 = 0; i0 < m; i0 += mr)
                {
                    int rows = Math.Min(mr, m - i0);
                    // op(A)'s column p, rows i0…i0+mr−1, as mr values 'step' apart in memory.
                    float* panel = packedA;
                    int step = mr;
                    if (transposeA && rows == mr)
                    {
                        panel = pa + p0 * m + i0;
                        step = m;
                    }
                    else PackRows(pa, transposeA, m, k, i0, rows, mr, p0, kc, packedA, permutes);
                    for (int q = 0; q < panels; q++)
                    {
                        float* bq = bp + q * kc * Nr, cq = pc + i0 * n + q * Nr;
                        int cols = Math.Min(Nr, tiled - q * Nr);
                        switch (mr)
                        {
                            case 12: Tile<Twelve>(kc, panel, step, bq, cq, n, rows, cols); break;
                            case 10: Tile<Ten>(kc, panel, step, bq, cq, n, rows, cols); break;
                            case 8: Tile<Eight>(kc, panel, step, bq, cq, n, rows, cols); break;
                            default: Tile<Six>(kc, panel, step, bq, cq, n, rows, cols); break;
                        }
                    }
                }
            }
            for (int j = tiled; j < n; j += 4)
                for (int i = 0; i < m; i++) AddDots(pa + i * k, pb + j * k, k, Math.Min(4, n - j), pc + i * n + j);
        }
        ArrayPool<float>.Shared.Return(packedB);
    }

    /// <summary>
    /// c[t] += Σ_p x[p]·y[t·k + p] for t &lt; <paramref name="count"/> ≤ 4: up to four dot products sharing each load of x,
    /// in four independent accumulators so that no chain of dependent multiply-adds waits on the previous one.
    /// </summary>
    private static void AddDots(float* x, float* y, int k, int count, float* c)
    {
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        int p = 0;
        for (; p <= k - Nr; p += Nr)
        {
            var xv = Vector512.Load(x + p);
            s0 = Vector512.FusedMultiplyAdd(xv, Vector512.Load(y + p), s0);
            if (count > 1) s1 = Vector512.FusedMultiplyAdd(xv, Vector512.Load(y + k + p), s1);
            if (count > 2) s2 = Vector512.FusedMultiplyAdd(xv, Vector512.Load(y + 2 * k + p), s2);
            if (count > 3) s3 = Vector512.FusedMultiplyAdd(xv, Vector512.Load(y + 3 * k + p), s3);
        }
        float* sums = stackalloc float[4];
        sums[0] = Vector512.Sum(s0);
        sums[1] = Vector512.Sum(s1);
        sums[2] = Vector512.Sum(s2);
        sums[3] = Vector512.Sum(s3);
        for (int t = 0; t < count; t++)
        {
            float sum = sums[t];
            for (int q = p; q < k; q++) sum += x[q] * y[t * k + q];
            c[t] += sum;
        }
    }

    /// <summary>Copies op(A)[i0…i0+rows, p0…p0+kc] as kc groups of mr (zero-padded past the last row).</summary>
    private static void PackRows(float* a, bool transposeA, int m, int k, int i0, int rows, int mr, int p0, int kc, float* panel, Vector512<int>* permutes)
    {
        if (rows < mr) new Span<float>(panel, Kc * mr).Clear();
        if (transposeA)
        {
            for (int p = 0; p < kc; p++)
                new ReadOnlySpan<float>(a + (p0 + p) * m + i0, rows).CopyTo(new Span<float>(panel + p * mr, rows));
            return;
        }
        // 16 p at a time through an in-register transpose of 16 rows (rows past the mr-th, or past m, repeat a
        // valid one); each output row's 16 values land at panel + p·mr and the next row overwrites the extras.
        float** src = stackalloc float*[Nr];
        for (int r = 0; r < Nr; r++) src[r] = a + (i0 + Math.Min(r, rows - 1)) * k + p0;
        int p1 = 0;
        for (; p1 <= kc - Nr; p1 += Nr) Transpose16(src, p1, panel + p1 * mr, mr, permutes);
        for (int r = 0; r < rows; r++)
            for (int p = p1; p < kc; p++) panel[p * mr + r] = src[r][p];
    }

    /// <summary>
    /// Copies op(B)[p0…p0+kc, all n columns] as panels of 16 columns, each kc rows of 16 contiguous values
    /// (the last panel zero-padded), so a tile reads its slice of B front to back.
    /// </summary>
    private static void PackColumns(float* b, bool transposeB, int n, int k, int p0, int kc, float* packed, Vector512<int>* permutes)
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
                    for (; p1 <= kc - Nr; p1 += Nr) Transpose16(src, p1, dst + p1 * Nr, Nr, permutes);
                for (int j = 0; j < cols; j++)
                    for (int p = p1; p < kc; p++) dst[p * Nr + j] = src[j][p];
            }
            else if (cols == Nr)
            {
                for (int p = 0; p < kc; p++) Vector512.Load(b + (p0 + p) * n + j0).Store(dst + p * Nr);
            }
            else
            {
                for (int p = 0; p < kc; p++)
                    new ReadOnlySpan<float>(b + (p0 + p) * n + j0, cols).CopyTo(new Span<float>(dst + p * Nr, cols));
            }
        }
    }

    /// <summary>
    /// Writes the 16×16 block rows[r][p0 + q] transposed: value (r, q) to dst[q·stride + r], rows stored in order of
    /// q. Four rounds of two-source permutes: round h swaps the off-diagonal h×h blocks of each 2h×2h block.
    /// </summary>
    private static void Transpose16(float** rows, int p0, float* dst, int stride, Vector512<int>* permutes)
    {
        // Unrolled into sixteen locals so that the JIT keeps all of them in registers: a loop over an array of
        // vectors would go through memory at every step and cost several times the permutes themselves.
        Vector512<float> v0 = Vector512.Load(rows[0] + p0), v1 = Vector512.Load(rows[1] + p0), v2 = Vector512.Load(rows[2] + p0);
        Vector512<float> v3 = Vector512.Load(rows[3] + p0), v4 = Vector512.Load(rows[4] + p0), v5 = Vector512.Load(rows[5] + p0);
        Vector512<float> v6 = Vector512.Load(rows[6] + p0), v7 = Vector512.Load(rows[7] + p0), v8 = Vector512.Load(rows[8] + p0);
        Vector512<float> v9 = Vector512.Load(rows[9] + p0), v10 = Vector512.Load(rows[10] + p0), v11 = Vector512.Load(rows[11] + p0);
        Vector512<float> v12 = Vector512.Load(rows[12] + p0), v13 = Vector512.Load(rows[13] + p0), v14 = Vector512.Load(rows[14] + p0);
        Vector512<float> v15 = Vector512.Load(rows[15] + p0);
        Vector512<int> lo = permutes[0], hi = permutes[1];                      // h = 8
        Swap(ref v0, ref v8, lo, hi); Swap(ref v1, ref v9, lo, hi); Swap(ref v2, ref v10, lo, hi); Swap(ref v3, ref v11, lo, hi);
        Swap(ref v4, ref v12, lo, hi); Swap(ref v5, ref v13, lo, hi); Swap(ref v6, ref v14, lo, hi); Swap(ref v7, ref v15, lo, hi);
        lo = permutes[2]; hi = permutes[3];                                     // h = 4
        Swap(ref v0, ref v4, lo, hi); Swap(ref v1, ref v5, lo, hi); Swap(ref v2, ref v6, lo, hi); Swap(ref v3, ref v7, lo, hi);
        Swap(ref v8, ref v12, lo, hi); Swap(ref v9, ref v13, lo, hi); Swap(ref v10, ref v14, lo, hi); Swap(ref v11, ref v15, lo, hi);
        lo = permutes[4]; hi = permutes[5];                                     // h = 2
        Swap(ref v0, ref v2, lo, hi); Swap(ref v1, ref v3, lo, hi); Swap(ref v4, ref v6, lo, hi); Swap(ref v5, ref v7, lo, hi);
        Swap(ref v8, ref v10, lo, hi); Swap(ref v9, ref v11, lo, hi); Swap(ref v12, ref v14, lo, hi); Swap(ref v13, ref v15, lo, hi);
        lo = permutes[6]; hi = permutes[7];                                     // h = 1
        Swap(ref v0, ref v1, lo, hi); Swap(ref v2, ref v3, lo, hi); Swap(ref v4, ref v5, lo, hi); Swap(ref v6, ref v7, lo, hi);
        Swap(ref v8, ref v9, lo, hi); Swap(ref v10, ref v11, lo, hi); Swap(ref v12, ref v13, lo, hi); Swap(ref v14, ref v15, lo, hi);
        v0.Store(dst); v1.Store(dst + stride); v2.Store(dst + 2 * stride); v3.Store(dst + 3 * stride);
        v4.Store(dst + 4 * stride); v5.Store(dst + 5 * stride); v6.Store(dst + 6 * stride); v7.Store(dst + 7 * stride);
        v8.Store(dst + 8 * stride); v9.Store(dst + 9 * stride); v10.Store(dst + 10 * stride); v11.Store(dst + 11 * stride);
        v12.Store(dst + 12 * stride); v13.Store(dst + 13 * stride); v14.Store(dst + 14 * stride); v15.Store(dst + 15 * stride);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Swap(ref Vector512<float> a, ref Vector512<float> b, Vector512<int> low, Vector512<int> high)
        {
            var l = Avx512F.PermuteVar16x32x2(a, low, b);
            b = Avx512F.PermuteVar16x32x2(a, high, b);
            a = l;
        }
    }

    /// <summary>
    /// The lane selections of <see cref="Transpose16"/>'s rounds h = 8, 4, 2, 1, low then high: over blocks of h
    /// lanes, low = [a0, b0, a2, b2, …] and high = [a1, b1, a3, b3, …] (b's lanes are numbered 16…31).
    /// </summary>
    private static void TransposePermutes(Vector512<int>* permutes)
    {
        int* low = stackalloc int[Nr], high = stackalloc int[Nr];
        for (int round = 0, h = 8; h >= 1; round++, h >>= 1)
        {
            for (int lane = 0; lane < Nr; lane++)
            {
                int block = lane / h, offset = lane % h;
                low[lane] = block % 2 == 0 ? block * h + offset : Nr + (block - 1) * h + offset;
                high[lane] = block % 2 == 0 ? (block + 1) * h + offset : Nr + block * h + offset;
            }
            permutes[2 * round] = Vector512.Load(low);
            permutes[2 * round + 1] = Vector512.Load(high);
        }
    }

    /// <summary>A tile height fixed when the JIT compiles <see cref="Tile{TRows}"/> for it, so unused rows cost nothing.</summary>
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

    /// <summary>
    /// The tile height for <paramref name="m"/> rows: the tallest of 12, 10, 8 and 6 that computes at most 5 % padding
    /// rows, else the one that computes fewest. Taller tiles load less per multiply-add; a height that does not fit
    /// computes rows for nothing (a 100-unit layer's dW in 12-row tiles: 108 rows; a convolution's 6 or 16 filters:
    /// 12 or 24).
    /// </summary>
    private static int TileHeight(int m)
    {
        ReadOnlySpan<int> heights = [12, 10, 8, 6];
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
    /// C[0…rows, 0…cols] += the product of a TRows×kc panel of A and a kc×16 panel of B, in TRows accumulator registers.
    /// Generic over the height so that the JIT compiles one register-resident loop per height (a struct type argument
    /// makes <c>TRows.Count</c> a constant and drops the rows it excludes), rather than the source holding two copies.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TRows>(int kc, float* a, int step, float* b, float* c, int ldc, int rows, int cols) where TRows : struct, ITileRows
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector512<float> c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (int p = 0; p < kc; p++)
        {
            var y = Vector512.Load(b);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[0]), y, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a[1]), y, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a[2]), y, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a[3]), y, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a[4]), y, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a[5]), y, c5);
            if (TRows.Count > 6)
            {
                c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a[6]), y, c6);
                c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a[7]), y, c7);
            }
            if (TRows.Count > 8)
            {
                c8 = Vector512.FusedMultiplyAdd(Vector512.Create(a[8]), y, c8);
                c9 = Vector512.FusedMultiplyAdd(Vector512.Create(a[9]), y, c9);
            }
            if (TRows.Count > 10)
            {
                c10 = Vector512.FusedMultiplyAdd(Vector512.Create(a[10]), y, c10);
                c11 = Vector512.FusedMultiplyAdd(Vector512.Create(a[11]), y, c11);
            }
            a += step;
            b += Nr;
        }
        if (rows == TRows.Count && cols == Nr)
        {
            Add(c, c0); Add(c + ldc, c1); Add(c + 2 * ldc, c2); Add(c + 3 * ldc, c3); Add(c + 4 * ldc, c4); Add(c + 5 * ldc, c5);
            if (TRows.Count > 6)
            {
                Add(c + 6 * ldc, c6);
                Add(c + 7 * ldc, c7);
            }
            if (TRows.Count > 8)
            {
                Add(c + 8 * ldc, c8);
                Add(c + 9 * ldc, c9);
            }
            if (TRows.Count > 10)
            {
                Add(c + 10 * ldc, c10);
                Add(c + 11 * ldc, c11);
            }
            return;
        }
        float* tile = stackalloc float[MaxMr * Nr];
        c0.Store(tile); c1.Store(tile + Nr); c2.Store(tile + 2 * Nr); c3.Store(tile + 3 * Nr);
        c4.Store(tile + 4 * Nr); c5.Store(tile + 5 * Nr); c6.Store(tile + 6 * Nr); c7.Store(tile + 7 * Nr);
        c8.Store(tile + 8 * Nr); c9.Store(tile + 9 * Nr); c10.Store(tile + 10 * Nr); c11.Store(tile + 11 * Nr);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++) c[r * ldc + j] += tile[r * Nr + j];

        static void Add(float* cRow, Vector512<float> v) => (Vector512.Load(cRow) + v).Store(cRow);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormCourse.Tensors;

/// <summary>A packed panel row as one 512-bit vector (AVX-512F): 32 registers, so tiles up to 12 rows high.</summary>
internal readonly unsafe struct PanelRow512 : IPanelRow<PanelRow512>
{
    // The lane selections of Transpose's rounds h = 8, 4, 2, 1 (see Permute). Static readonly vectors are constants to
    // the optimizing JIT.
    private static readonly Vector512<int> Low8 = Permute(8, false), High8 = Permute(8, true);
    private static readonly Vector512<int> Low4 = Permute(4, false), High4 = Permute(4, true);
    private static readonly Vector512<int> Low2 = Permute(2, false), High2 = Permute(2, true);
    private static readonly Vector512<int> Low1 = Permute(1, false), High1 = Permute(1, true);

    private readonly Vector512<float> _v;

    private PanelRow512(Vector512<float> v) => _v = v;

    public static bool IsAccelerated => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    private static readonly int[] Heights = [12, 10, 8, 6];

    public static ReadOnlySpan<int> TileHeights => Heights;

    public static int TransposeRows => 16;

    public static int DotRowsAtOnce => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow512 Load(float* source) => new(Vector512.Load(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(PanelRow512 row, float* destination) => row._v.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(PanelRow512 row, float* destination) => (Vector512.Load(destination) + row._v).Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow512 MultiplyAdd(float* a, PanelRow512 y, PanelRow512 acc) =>
        new(Vector512.FusedMultiplyAdd(Vector512.Create(*a), y._v, acc._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow512 MultiplyAdd(PanelRow512 x, PanelRow512 y, PanelRow512 acc) =>
        new(Vector512.FusedMultiplyAdd(x._v, y._v, acc._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(PanelRow512 row) => Vector512.Sum(row._v);

    /// <summary>
    /// The 16×16 block in registers: four rounds of two-source permutes, round h swapping the off-diagonal h×h blocks of
    /// each 2h×2h block.
    /// </summary>
    public static void Transpose(float** rows, int p0, float* dst, int stride)
    {
        // Unrolled into sixteen locals so that the JIT keeps all of them in registers: a loop over an array of
        // vectors would go through memory at every step and cost several times the permutes themselves.
        Vector512<float> v0 = Vector512.Load(rows[0] + p0), v1 = Vector512.Load(rows[1] + p0), v2 = Vector512.Load(rows[2] + p0);
        Vector512<float> v3 = Vector512.Load(rows[3] + p0), v4 = Vector512.Load(rows[4] + p0), v5 = Vector512.Load(rows[5] + p0);
        Vector512<float> v6 = Vector512.Load(rows[6] + p0), v7 = Vector512.Load(rows[7] + p0), v8 = Vector512.Load(rows[8] + p0);
        Vector512<float> v9 = Vector512.Load(rows[9] + p0), v10 = Vector512.Load(rows[10] + p0), v11 = Vector512.Load(rows[11] + p0);
        Vector512<float> v12 = Vector512.Load(rows[12] + p0), v13 = Vector512.Load(rows[13] + p0), v14 = Vector512.Load(rows[14] + p0);
        Vector512<float> v15 = Vector512.Load(rows[15] + p0);
        Vector512<int> lo = Low8, hi = High8;
        Swap(ref v0, ref v8, lo, hi); Swap(ref v1, ref v9, lo, hi); Swap(ref v2, ref v10, lo, hi); Swap(ref v3, ref v11, lo, hi);
        Swap(ref v4, ref v12, lo, hi); Swap(ref v5, ref v13, lo, hi); Swap(ref v6, ref v14, lo, hi); Swap(ref v7, ref v15, lo, hi);
        lo = Low4; hi = High4;
        Swap(ref v0, ref v4, lo, hi); Swap(ref v1, ref v5, lo, hi); Swap(ref v2, ref v6, lo, hi); Swap(ref v3, ref v7, lo, hi);
        Swap(ref v8, ref v12, lo, hi); Swap(ref v9, ref v13, lo, hi); Swap(ref v10, ref v14, lo, hi); Swap(ref v11, ref v15, lo, hi);
        lo = Low2; hi = High2;
        Swap(ref v0, ref v2, lo, hi); Swap(ref v1, ref v3, lo, hi); Swap(ref v4, ref v6, lo, hi); Swap(ref v5, ref v7, lo, hi);
        Swap(ref v8, ref v10, lo, hi); Swap(ref v9, ref v11, lo, hi); Swap(ref v12, ref v14, lo, hi); Swap(ref v13, ref v15, lo, hi);
        lo = Low1; hi = High1;
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
    /// The lane selection of <see cref="Transpose"/>'s round <paramref name="h"/>: over blocks of h lanes,
    /// low = [a0, b0, a2, b2, …] and high = [a1, b1, a3, b3, …] (b's lanes are numbered 16…31).
    /// </summary>
    private static Vector512<int> Permute(int h, bool high)
    {
        Span<int> lanes = stackalloc int[16];
        for (int lane = 0; lane < 16; lane++)
        {
            int block = lane / h, offset = lane % h + (high ? h : 0);
            lanes[lane] = block % 2 == 0 ? block * h + offset : 16 + (block - 1) * h + offset;
        }
        return Vector512.Create<int>(lanes);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormCourse.Tensors;

/// <summary>
/// A packed panel row as two 256-bit vectors (AVX2 with FMA, most laptops): 16 registers hold at most 6 rows of
/// accumulators (12 registers) beside the two halves of the panel row and the broadcast.
/// </summary>
internal readonly unsafe struct PanelRow256 : IPanelRow<PanelRow256>
{
    private readonly Vector256<float> _lo, _hi;

    private PanelRow256(Vector256<float> lo, Vector256<float> hi)
    {
        _lo = lo;
        _hi = hi;
    }

    public static bool IsAccelerated => Vector256.IsHardwareAccelerated && Avx.IsSupported && Fma.IsSupported;

    private static readonly int[] Heights = [6, 4];

    public static ReadOnlySpan<int> TileHeights => Heights;

    public static int TransposeRows => 8;

    public static int DotRowsAtOnce => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow256 Load(float* source) => new(Vector256.Load(source), Vector256.Load(source + 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(PanelRow256 row, float* destination)
    {
        row._lo.Store(destination);
        row._hi.Store(destination + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(PanelRow256 row, float* destination)
    {
        (Vector256.Load(destination) + row._lo).Store(destination);
        (Vector256.Load(destination + 8) + row._hi).Store(destination + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow256 MultiplyAdd(float* a, PanelRow256 y, PanelRow256 acc)
    {
        var broadcast = Vector256.Create(*a);
        return new(Vector256.FusedMultiplyAdd(broadcast, y._lo, acc._lo), Vector256.FusedMultiplyAdd(broadcast, y._hi, acc._hi));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow256 MultiplyAdd(PanelRow256 x, PanelRow256 y, PanelRow256 acc) =>
        new(Vector256.FusedMultiplyAdd(x._lo, y._lo, acc._lo), Vector256.FusedMultiplyAdd(x._hi, y._hi, acc._hi));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(PanelRow256 row) => Vector256.Sum(row._lo + row._hi);

    /// <summary>8 rows × 16 columns as two 8×8 blocks, left one first (so that the stored rows stay in order of q).</summary>
    public static void Transpose(float** rows, int p0, float* dst, int stride)
    {
        Transpose8(rows, p0, dst, stride);
        Transpose8(rows, p0 + 8, dst + 8 * stride, stride);
    }

    /// <summary>
    /// The 8×8 block rows[r][p0…p0+8) transposed in registers, 24 shuffles: interleave pairs of rows, then pairs of
    /// pairs, then swap 128-bit halves (column q of rows 0–3 sits in the low half of one vector, of rows 4–7 in the
    /// low half of another).
    /// </summary>
    private static void Transpose8(float** rows, int p0, float* dst, int stride)
    {
        Vector256<float> r0 = Vector256.Load(rows[0] + p0), r1 = Vector256.Load(rows[1] + p0);
        Vector256<float> r2 = Vector256.Load(rows[2] + p0), r3 = Vector256.Load(rows[3] + p0);
        Vector256<float> r4 = Vector256.Load(rows[4] + p0), r5 = Vector256.Load(rows[5] + p0);
        Vector256<float> r6 = Vector256.Load(rows[6] + p0), r7 = Vector256.Load(rows[7] + p0);
        // (r0[0], r1[0], r0[1], r1[1] | r0[4], r1[4], r0[5], r1[5]) and the same for columns 2, 3 | 6, 7.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        // Column q | q + 4 of four rows: 0x44 takes lanes 0, 1 of each source, 0xEE lanes 2, 3.
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        // Low halves (0x20) give columns 0–3, high halves (0x31) columns 4–7.
        Avx.Permute2x128(s0, s4, 0x20).Store(dst);
        Avx.Permute2x128(s1, s5, 0x20).Store(dst + stride);
        Avx.Permute2x128(s2, s6, 0x20).Store(dst + 2 * stride);
        Avx.Permute2x128(s3, s7, 0x20).Store(dst + 3 * stride);
        Avx.Permute2x128(s0, s4, 0x31).Store(dst + 4 * stride);
        Avx.Permute2x128(s1, s5, 0x31).Store(dst + 5 * stride);
        Avx.Permute2x128(s2, s6, 0x31).Store(dst + 6 * stride);
        Avx.Permute2x128(s3, s7, 0x31).Store(dst + 7 * stride);
    }
}

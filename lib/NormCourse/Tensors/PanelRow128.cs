using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NormCourse.Tensors;

/// <summary>
/// A packed panel row as four 128-bit vectors, for Arm64 (AdvSimd): its 32 registers hold 6 rows of accumulators
/// (24 registers) beside the four quarters of the panel row and the broadcast.
/// </summary>
/// <remarks>
/// On x64 this width is never picked: .NET enables FMA together with AVX2, and then <see cref="PanelRow256"/> runs.
/// Packing transposes with a plain loop; shuffles for Arm were not written, as they could not be measured here.
/// </remarks>
internal readonly unsafe struct PanelRow128 : IPanelRow<PanelRow128>
{
    private readonly Vector128<float> _v0, _v1, _v2, _v3;

    private PanelRow128(Vector128<float> v0, Vector128<float> v1, Vector128<float> v2, Vector128<float> v3)
    {
        _v0 = v0;
        _v1 = v1;
        _v2 = v2;
        _v3 = v3;
    }

    public static bool IsAccelerated => Vector128.IsHardwareAccelerated && (AdvSimd.Arm64.IsSupported || Fma.IsSupported);

    private static readonly int[] Heights = [6, 4];

    public static ReadOnlySpan<int> TileHeights => Heights;

    public static int TransposeRows => 8;

    public static int DotRowsAtOnce => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow128 Load(float* source) =>
        new(Vector128.Load(source), Vector128.Load(source + 4), Vector128.Load(source + 8), Vector128.Load(source + 12));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(PanelRow128 row, float* destination)
    {
        row._v0.Store(destination);
        row._v1.Store(destination + 4);
        row._v2.Store(destination + 8);
        row._v3.Store(destination + 12);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(PanelRow128 row, float* destination) => Store(Add(Load(destination), row), destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow128 MultiplyAdd(float* a, PanelRow128 y, PanelRow128 acc)
    {
        var broadcast = Vector128.Create(*a);
        return new(Vector128.FusedMultiplyAdd(broadcast, y._v0, acc._v0), Vector128.FusedMultiplyAdd(broadcast, y._v1, acc._v1),
            Vector128.FusedMultiplyAdd(broadcast, y._v2, acc._v2), Vector128.FusedMultiplyAdd(broadcast, y._v3, acc._v3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PanelRow128 MultiplyAdd(PanelRow128 x, PanelRow128 y, PanelRow128 acc) =>
        new(Vector128.FusedMultiplyAdd(x._v0, y._v0, acc._v0), Vector128.FusedMultiplyAdd(x._v1, y._v1, acc._v1),
            Vector128.FusedMultiplyAdd(x._v2, y._v2, acc._v2), Vector128.FusedMultiplyAdd(x._v3, y._v3, acc._v3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(PanelRow128 row) => Vector128.Sum(row._v0 + row._v1 + (row._v2 + row._v3));

    public static void Transpose(float** rows, int p0, float* dst, int stride)
    {
        for (int q = 0; q < 16; q++)
            for (int r = 0; r < TransposeRows; r++) dst[q * stride + r] = rows[r][p0 + q];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static PanelRow128 Add(PanelRow128 x, PanelRow128 y) => new(x._v0 + y._v0, x._v1 + y._v1, x._v2 + y._v2, x._v3 + y._v3);
}

using System.Runtime.Intrinsics;

namespace NormCourse.Tensors.Simd;

/// <summary>The one place that decides which vector width this machine's float kernels run.</summary>
internal static class VectorWidths
{
    /// <summary>
    /// The widest width the runtime accelerates: 512 bits where it uses AVX-512, 256 with AVX2, else 128 (SSE, Arm
    /// NEON). The runtime may leave Vector512 unaccelerated on AVX-512 CPUs whose wide instructions slow the clock, and
    /// <c>DOTNET_EnableAVX512=0</c> / <c>DOTNET_EnableAVX2=0</c> narrow it further, so an AVX-512 machine can run every
    /// path. Each test of <c>IsHardwareAccelerated</c> is a constant to the JIT, so asking costs nothing.
    /// </summary>
    public static VectorWidth Widest =>
        Vector512.IsHardwareAccelerated ? VectorWidth.Bits512
        : Vector256.IsHardwareAccelerated ? VectorWidth.Bits256
        : VectorWidth.Bits128;

    /// <summary>
    /// Whether vectors of some width are accelerated at all; where none are, the kernels' reference loops are faster
    /// than software-emulated vectors.
    /// </summary>
    public static bool AnyAccelerated => Vector128.IsHardwareAccelerated;
}

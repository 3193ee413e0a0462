using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace NormCourse.Tensors.Simd;

/// <summary>
/// Software prefetch: asks the core to bring the cache line holding an address into L1 ahead of the loads that need
/// it, where the hardware prefetcher cannot tell that they are coming. It never faults, so an address past an array's
/// end is harmless. Without SSE (Arm) it does nothing.
/// </summary>
internal static unsafe class Prefetch
{
    /// <summary>The line holding <paramref name="address"/> into every level of cache (PREFETCHT0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Line(float* address)
    {
        if (Sse.IsSupported) Sse.Prefetch0(address);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NormCourse.Tensors;

/// <summary>
/// Where a new tensor's values live: small tensors in an array of exactly their length; large ones (<see cref="LargeBytes"/>
/// or more) in a pinned array a cache line longer, starting at its first 64-byte cache line boundary.
/// </summary>
/// <remarks>
/// <para>
/// .NET starts an array's values at a multiple of 8 bytes, and puts large arrays of the same size one after another 56
/// bytes apart modulo a 64-byte cache line, so a layer's output lay at another place in its lines than its input. A
/// pass that stores its output on lines then reads every vector of its input across two lines, and the (N, C) passes
/// ran up to a fifth slower for it: BatchNorm1d's forward+backward on Zen 5 (one thread, median of 2,000 calls, all
/// four tensors on lines against placed as .NET places them, alternating in one process) took (256, 1024) 129–134
/// against 144–151 µs and (4096, 256) 429–459 against 514–542. It is the offset within the line that costs, not the
/// distance modulo 4 KiB: outputs 64 or 128 bytes above their input ran as fast as at 0, outputs 8, 56, 1,080 or
/// 2,104 bytes above as slowly as each other.
/// </para>
/// <para>
/// Any offset shared by all would serve the (N, C) passes; the line's start served BatchNorm2d (32, 16, 28, 28) best
/// (median of 3,000 forward+backward calls 133 µs against 147–151 with every tensor 24 bytes into a line, three
/// alternations). It costs LayerNorm's and RMSNorm's (4096, 1024) backward 4–9 % against rows 24 bytes in, where .NET
/// put their 16 MiB tensors before and their kernels were tuned (LayerNorm 1,094–1,159 against 1,036–1,099 µs, RMSNorm
/// 984–1,004 against 892–958; fastest of 40, four alternations of separate processes); why was not found.
/// </para>
/// <para>
/// The GC offers no aligned arrays, hence the segment. Pinning costs the large ones nothing: .NET does not move arrays
/// this large unless told to compact their heap, and keeps pinned ones apart from the young objects.
/// </para>
/// </remarks>
internal static class TensorStorage
{
    /// <summary>From this many bytes .NET puts an array on its large object heap; below it tensors are plain arrays.</summary>
    public const int LargeBytes = 85_000;

    private const int LineBytes = 64;

    /// <summary><paramref name="length"/> zeros; on a cache line when they take <see cref="LargeBytes"/> or more.</summary>
    public static unsafe ArraySegment<T> Allocate<T>(int length) where T : unmanaged
    {
        int size = sizeof(T);
        if ((long)length * size < LargeBytes) return new T[length];
        var buffer = GC.AllocateArray<T>(length + LineBytes / size, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        int offset = (int)(-address & (LineBytes - 1)) / size;
        return new ArraySegment<T>(buffer, offset, length);
    }
}

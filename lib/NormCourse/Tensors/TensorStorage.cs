using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NormCourse.Tensors;

/// <summary>
/// Where a new tensor's values live: small tensors in an array of exactly their length; large ones (<see cref="LargeBytes"/>
/// or more) in a pinned array a cache line longer, starting at the same place in a 64-byte cache line as every other
/// large tensor (<see cref="PhaseBytes"/> past a line's start).
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
/// Why 24 bytes and not 0: it is where .NET puts the values of an array that begins a region of its own (88 bytes into
/// a page), as it did every 16 MiB tensor, and LayerNorm's and RMSNorm's kernels were tuned with their rows there. Any
/// shared offset serves BatchNorm alike (BatchNorm1d's medians at 0 and at 24 bytes within each other's spread over three
/// alternations), but with every tensor on a line the
/// (4096, 1024) backward passes ran 4–9 % slower (LayerNorm 1,094–1,159 against 1,036–1,099 µs, RMSNorm 984–1,004
/// against 892–958; fastest of 40, four alternations of separate processes).
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

    /// <summary>Where in its cache line a large tensor's first value lies: a multiple of 8, as every element size divides.</summary>
    public const int PhaseBytes = 24;

    private const int LineBytes = 64;

    /// <summary><paramref name="length"/> zeros; <see cref="PhaseBytes"/> into a cache line when they take <see cref="LargeBytes"/> or more.</summary>
    public static unsafe ArraySegment<T> Allocate<T>(int length) where T : unmanaged
    {
        int size = sizeof(T);
        if ((long)length * size < LargeBytes) return new T[length];
        var buffer = GC.AllocateArray<T>(length + LineBytes / size, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        int offset = (int)((PhaseBytes - address) & (LineBytes - 1)) / size;
        return new ArraySegment<T>(buffer, offset, length);
    }
}

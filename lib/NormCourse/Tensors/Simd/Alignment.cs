namespace NormCourse.Tensors.Simd;

/// <summary>
/// Where a vector loop over floats starts so that its vectors do not straddle two cache lines. .NET puts an array's first
/// float at a multiple of 8 bytes, not of 64, so without this every AVX-512 load and store of a row would touch two
/// lines. The elementwise passes store at their output's aligned addresses (<see cref="Normalization.AlignedOutput"/>).
/// (The reductions keep their lanes by index: there the order of the additions, and so the rounding, would otherwise
/// depend on the address, and a run would not repeat another's numbers.)
/// </summary>
internal static unsafe class Alignment
{
    /// <summary>The floats in a 64-byte cache line.</summary>
    public const int LineFloats = 16;

    /// <summary>
    /// How many of the <paramref name="n"/> floats at <paramref name="p"/> come before the first address aligned to a
    /// vector of <paramref name="count"/> floats: 0…count−1, at most n; 0 when p is not at a multiple of 4 bytes.
    /// </summary>
    public static int Head(float* p, int count, int n)
    {
        int bytes = count * sizeof(float), misaligned = (int)((nint)p & (bytes - 1));
        return misaligned == 0 || misaligned % sizeof(float) != 0 ? 0 : Math.Min(n, (bytes - misaligned) / sizeof(float));
    }

    /// <summary>The floats in a 4 KiB page.</summary>
    public const int PageFloats = 1024;

    /// <summary>
    /// The first place in <paramref name="buffer"/> that begins a cache line half a page (2 KiB) away from
    /// <paramref name="like"/>'s line, counting addresses modulo a 4 KiB page: fewer than <see cref="PageFloats"/> floats
    /// in, so the buffer needs that much room beyond what it holds.
    /// </summary>
    /// <remarks>
    /// A load whose address matches a store still in flight in its low 12 bits waits on it as if it read that store's
    /// bytes (4K aliasing). Scratch that a loop stores into while it reads <paramref name="like"/>'s array, and whose
    /// stores are still in flight when the next loop reads that array's next row, is placed as far from both as a page
    /// allows.
    /// </remarks>
    public static float* HalfAPageFrom(float* buffer, float* like)
    {
        const int line = LineFloats * sizeof(float), page = PageFloats * sizeof(float);
        nint target = ((nint)like & ~(nint)(line - 1)) + page / 2;
        return (float*)((nint)buffer + ((target - (nint)buffer) & (page - 1)));
    }

    /// <summary>
    /// The first place in <paramref name="buffer"/> whose offset within a 64-byte cache line is <paramref name="like"/>'s,
    /// so that a loop aligned to <paramref name="like"/>'s vectors reads floats stored from there aligned too: fewer than
    /// <see cref="LineFloats"/> floats in, so the buffer needs that much room beyond what it holds.
    /// </summary>
    public static float* SamePhase(float* buffer, float* like)
    {
        const int line = LineFloats * sizeof(float);
        int shift = (int)(((nint)like - (nint)buffer) & (line - 1));
        return shift % sizeof(float) == 0 ? buffer + shift / sizeof(float) : buffer;
    }
}

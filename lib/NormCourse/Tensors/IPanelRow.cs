namespace NormCourse.Tensors;

/// <summary>
/// One row of a packed panel of <see cref="PackedGemm"/>: 16 consecutive floats, held in whatever vectors the machine
/// has (one 512-bit, two 256-bit or four 128-bit). <see cref="PackedGemm"/> is written once against this interface
/// and called with a struct type argument, for which the JIT compiles a separate copy with these members inlined —
/// the generic kernel costs nothing over one written for a single width.
/// </summary>
internal unsafe interface IPanelRow<TSelf> where TSelf : struct, IPanelRow<TSelf>
{
    /// <summary>True when this width runs in hardware, fused multiply-adds included.</summary>
    static abstract bool IsAccelerated { get; }

    /// <summary>
    /// The tile heights this width may use, tallest first: a tile of h rows keeps h rows of accumulators, one panel row
    /// and a broadcast in registers, so the tallest is bounded by the register file.
    /// </summary>
    /// <remarks>
    /// Implementations return a static array, not a span literal such as <c>[6, 4]</c>: a literal span of ints is made
    /// by <c>RuntimeHelpers.CreateSpan</c>, which the JIT expands in optimized code but which allocates a field handle
    /// on every call in a Debug build, and a training step must allocate nothing in either (<c>dotnet test</c> builds
    /// Debug unless told otherwise).
    /// </remarks>
    static abstract ReadOnlySpan<int> TileHeights { get; }

    /// <summary>How many rows <see cref="Transpose"/> turns at once; at least the tallest tile height.</summary>
    static abstract int TransposeRows { get; }

    /// <summary>
    /// How many rows of op(A) the GEMM's dot products take at once: 2 where their eight accumulators, two rows of A and
    /// four of B fit the registers (AVX-512's 32 vectors), else 1.
    /// </summary>
    static abstract int DotRowsAtOnce { get; }

    /// <summary>The 16 floats at <paramref name="source"/>.</summary>
    static abstract TSelf Load(float* source);

    /// <summary>Writes the 16 floats to <paramref name="destination"/>.</summary>
    static abstract void Store(TSelf row, float* destination);

    /// <summary>Adds the 16 floats into <paramref name="destination"/>[0…16).</summary>
    static abstract void AddTo(TSelf row, float* destination);

    /// <summary>
    /// acc + (*a)·y, each lane rounded once. A pointer rather than the value, so that the JIT broadcasts straight from
    /// memory (a float argument was first loaded into a register and then broadcast, a shuffle per multiply-add that
    /// cost the 512-bit kernel 40 % of its speed).
    /// </summary>
    static abstract TSelf MultiplyAdd(float* a, TSelf y, TSelf acc);

    /// <summary>acc + x·y lane by lane, each lane rounded once.</summary>
    static abstract TSelf MultiplyAdd(TSelf x, TSelf y, TSelf acc);

    /// <summary>The sum of the 16 floats.</summary>
    static abstract float Sum(TSelf row);

    /// <summary>
    /// Writes the block rows[r][p0 + q] (r &lt; <see cref="TransposeRows"/>, q &lt; 16) transposed: value (r, q) to
    /// dst[q·stride + r], the rows of the result stored in order of q, so that with a stride under
    /// <see cref="TransposeRows"/> each row overwrites the previous row's extra values.
    /// </summary>
    static abstract void Transpose(float** rows, int p0, float* dst, int stride);
}

using System.Runtime.CompilerServices;
using NormCourse.Tensors.Simd;

namespace NormCourse.Normalization;

/// <summary>
/// Reads a run of floats a vector at a time in index order — <see cref="Load"/>(i) holds floats i…i + Count − 1, the
/// same floats as <c>TF.Load(run + i)</c> — from loads at aligned addresses, so that no load straddles two cache lines.
/// </summary>
/// <remarks>
/// <para>
/// The reductions keep their lanes by index (<see cref="AlignedOutput"/>'s remarks): lane k adds the floats at k,
/// k + Count, …, so their sums do not depend on where the arrays lie. But .NET's arrays do not begin on a cache line, and
/// a vector loaded at index i then touches two lines. Here each vector is cut out of the two aligned vectors around it
/// with one permute (<see cref="IFloatVector{TSelf, TDouble}.Shift"/>, AVX-512's vpermt2ps): the same floats in the
/// same lanes, so every sum is bit for bit what unaligned loads give.
/// </para>
/// <para>
/// Why it pays: LayerNorm's backward pass reads each row from memory in its first pass, where the row sums and the
/// column sums of dγ and dβ are made. On the Zen 5 machine (2026-12-02, one thread, the benchmark table's fastest of 7,
/// three runs alternating with the code before), LayerNorm (4096, 1024) forward+backward went from 2,705–2,760 to
/// 2,155–2,258 µs and RMSNorm from 2,517–2,892 to 1,847–1,901 µs when this pass read through this reader, in the runs
/// whose triad was timed at 50 GB/s. The statistics along BatchNorm2d's and GroupNorm's runs, which widen every
/// vector to double, went the other way (BatchNorm2d (32, 16, 28, 28) 160 → 179–199 µs) and load unaligned.
/// </para>
/// <para>
/// The aligned loads read up to Count − 1 floats before the run's first and after its last, always inside the aligned
/// blocks that hold those two floats, so never on another page; the permute drops them. Without the permute (AVX2,
/// SSE, NEON) the reader loads unaligned.
/// </para>
/// </remarks>
internal readonly unsafe struct AlignedInput<TF, TD>
    where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
{
    private readonly float* _block;   // the run's start rounded down to a vector's size
    private readonly int _next;       // where the second block of a vector is: Count, or 0 when the run begins on a block
    private readonly TF _lanes;       // which lanes of the two blocks make a vector

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public AlignedInput(float* run)
    {
        int bytes = (int)((nint)run & (TF.Count * sizeof(float) - 1));
        int phase = TF.CanShift && bytes % sizeof(float) == 0 ? bytes / sizeof(float) : 0;
        _block = run - phase;
        _next = phase == 0 ? 0 : TF.Count;
        _lanes = TF.CanShift ? TF.ShiftLanes(phase) : TF.Zero;
    }

    /// <summary>Floats i…i + Count − 1 of the run, for i from 0 to n − Count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TF Load(int i) => TF.CanShift ? TF.Shift(TF.Load(_block + i), TF.Load(_block + i + _next), _lanes) : TF.Load(_block + i);

    /// <summary>
    /// Floats i…i + 4·Count − 1 as four vectors, the same as <see cref="Load"/> at i, i + Count, i + 2·Count and
    /// i + 3·Count, from five aligned loads instead of eight: neighbouring vectors share the block between them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (TF, TF, TF, TF) Load4(int i)
    {
        int n = TF.Count;
        if (!TF.CanShift) return (TF.Load(_block + i), TF.Load(_block + i + n), TF.Load(_block + i + 2 * n), TF.Load(_block + i + 3 * n));
        TF b0 = TF.Load(_block + i), b1 = TF.Load(_block + i + n), b2 = TF.Load(_block + i + 2 * n), b3 = TF.Load(_block + i + 3 * n);
        TF b4 = TF.Load(_block + i + 3 * n + _next);   // the block after the fourth only when the run is not on a block
        return (TF.Shift(b0, b1, _lanes), TF.Shift(b1, b2, _lanes), TF.Shift(b2, b3, _lanes), TF.Shift(b3, b4, _lanes));
    }
}

namespace NormCourse.Tensors.Simd;

/// <summary>
/// A vector of float32 lanes of one hardware width (<see cref="Float512"/>, <see cref="Float256"/>,
/// <see cref="Float128"/>), with its double vector <typeparamref name="TDouble"/> of the same width for widened sums.
/// </summary>
/// <remarks>
/// Why it exists: the float kernels of the normalization layers are written once, as generic methods over
/// <typeparamref name="TSelf"/> and <typeparamref name="TDouble"/>, and run 16 floats per instruction on AVX-512
/// machines, 8 on AVX2 machines and 4 on SSE and Arm (NEON) machines. The members are static abstract, and the type
/// arguments are structs, so the JIT compiles a separate copy of each kernel per width in which every call here is
/// inlined to the instruction it wraps, the vectors kept in registers. The one difference from hand-written Vector512
/// code: the JIT no longer folds a load into the arithmetic that uses it (a separate vmovups); the course's norm table
/// measured the same times either way. <see cref="VectorWidths.Widest"/> says which width a machine runs.
/// </remarks>
internal unsafe interface IFloatVector<TSelf, TDouble>
    where TSelf : struct, IFloatVector<TSelf, TDouble>
    where TDouble : struct, IDoubleVector<TDouble>
{
    /// <summary>The number of floats in a vector: 16, 8 or 4.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes zero.</summary>
    static abstract TSelf Zero { get; }

    /// <summary>All lanes <paramref name="value"/>.</summary>
    static abstract TSelf Create(float value);

    /// <summary>The <see cref="Count"/> floats at <paramref name="source"/> (no alignment needed).</summary>
    static abstract TSelf Load(float* source);

    /// <summary>
    /// Whether <see cref="Shift"/> is one instruction on this machine: a two-source permute (vpermt2ps), which AVX-512
    /// has at every width. Elsewhere <see cref="Normalization.AlignedInput{TF, TD}"/> loads its vectors unaligned instead.
    /// </summary>
    static abstract bool CanShift { get; }

    /// <summary>The lane indices that make <see cref="Shift"/> start <paramref name="phase"/> floats in (0…Count−1).</summary>
    static abstract TSelf ShiftLanes(int phase);

    /// <summary>
    /// The floats <c>phase</c>…Count−1 of <paramref name="lower"/> followed by floats 0…phase−1 of
    /// <paramref name="upper"/>, with <paramref name="lanes"/> = <see cref="ShiftLanes"/>(phase): the vector that begins
    /// <c>phase</c> floats into a pair of adjacent ones. Only where <see cref="CanShift"/>.
    /// </summary>
    static abstract TSelf Shift(TSelf lower, TSelf upper, TSelf lanes);

    /// <summary>Writes the lanes to the <see cref="Count"/> floats at <paramref name="destination"/>.</summary>
    void Store(float* destination);

    /// <summary>
    /// Writes the lanes to the <see cref="Count"/> floats at <paramref name="destination"/>, which must be aligned to
    /// the vector's size, past the caches: a non-temporal store (vmovntps on x86), which does not read the line first.
    /// </summary>
    void StoreNonTemporal(float* destination);

    /// <summary>Lane-wise a + b.</summary>
    static abstract TSelf operator +(TSelf left, TSelf right);

    /// <summary>Lane-wise a − b.</summary>
    static abstract TSelf operator -(TSelf left, TSelf right);

    /// <summary>Lane-wise −a.</summary>
    static abstract TSelf operator -(TSelf value);

    /// <summary>Lane-wise a·b.</summary>
    static abstract TSelf operator *(TSelf left, TSelf right);

    /// <summary>
    /// a·b + c, fused (one rounding) wherever the CPU has the instruction: every AVX-512, AVX2 and Arm64 machine. An x86
    /// machine without FMA multiplies and adds (two roundings) rather than take .NET's software fused multiply-add,
    /// which is exact but some hundred times slower.
    /// </summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>c − a·b, fused as <see cref="MultiplyAdd"/> is (one instruction on x86 and Arm alike).</summary>
    static abstract TSelf MultiplyAddNegated(TSelf a, TSelf b, TSelf c);

    /// <summary>The lanes converted exactly to double: the lower half and the upper half, <see cref="Count"/>/2 each.</summary>
    (TDouble Lower, TDouble Upper) Widen();

    /// <summary>
    /// <see cref="Load"/> then <see cref="Widen"/>, for floats still in memory: on x86 each half converts straight from
    /// memory (one vcvtps2pd with a memory operand), where widening a loaded register also extracts its upper half
    /// first. The reductions in double widen every value: the one-pass shifted sums over 1 MiB, timed alone on an AMD
    /// Zen 5, went from 26.7 to 19.4 µs.
    /// </summary>
    static abstract (TDouble Lower, TDouble Upper) LoadWidened(float* source);
}

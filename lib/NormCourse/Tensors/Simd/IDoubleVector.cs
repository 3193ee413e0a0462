namespace NormCourse.Tensors.Simd;

/// <summary>
/// A vector of float64 lanes of one hardware width (<see cref="Double512"/>, <see cref="Double256"/>,
/// <see cref="Double128"/>): the accumulators of the float kernels, which sum float data in double.
/// </summary>
/// <remarks>
/// Why it exists: see <see cref="IFloatVector{TSelf, TDouble}"/>; the kernels widen each float vector to two of
/// these and accumulate there, so the statistics carry double precision whatever the width.
/// </remarks>
internal unsafe interface IDoubleVector<TSelf> where TSelf : struct, IDoubleVector<TSelf>
{
    /// <summary>The number of doubles in a vector: 8, 4 or 2 (half the float vector's).</summary>
    static abstract int Count { get; }

    /// <summary>All lanes <paramref name="value"/>.</summary>
    static abstract TSelf Create(double value);

    /// <summary>The <see cref="Count"/> doubles at <paramref name="source"/> (no alignment needed).</summary>
    static abstract TSelf Load(double* source);

    /// <summary>Writes the lanes to the <see cref="Count"/> doubles at <paramref name="destination"/>.</summary>
    void Store(double* destination);

    /// <summary>Lane-wise a + b.</summary>
    static abstract TSelf operator +(TSelf left, TSelf right);

    /// <summary>Lane-wise a − b.</summary>
    static abstract TSelf operator -(TSelf left, TSelf right);

    /// <summary>a·b + c, fused where the CPU has the instruction (as <see cref="IFloatVector{TSelf, TDouble}.MultiplyAdd"/>).</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>The sum of the lanes.</summary>
    double Sum();
}

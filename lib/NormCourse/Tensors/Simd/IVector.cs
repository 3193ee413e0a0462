namespace NormCourse.Tensors.Simd;

/// <summary>
/// A vector of <typeparamref name="T"/> lanes of one hardware width (<see cref="Lanes512{T}"/>,
/// <see cref="Lanes256{T}"/>, <see cref="Lanes128{T}"/>), for the elementwise loops that serve float and double alike
/// (<see cref="InPlace"/>, the ReLU and sigmoid gradients).
/// </summary>
/// <remarks>
/// Why it exists: as <see cref="IFloatVector{TSelf, TDouble}"/> does for the float kernels, it lets one generic loop run
/// at the widest width a machine accelerates (<see cref="VectorWidths.Widest"/>) — 512, 256 or 128 bits — and every
/// width in the tests; the struct type arguments make the JIT compile each width separately with the calls inlined.
/// It holds only what those loops use.
/// </remarks>
internal interface IVector<TSelf, T>
    where TSelf : struct, IVector<TSelf, T>
    where T : unmanaged
{
    /// <summary>Whether vectors of this width hold <typeparamref name="T"/> (true for float and double).</summary>
    static abstract bool IsSupported { get; }

    /// <summary>The number of lanes.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes <paramref name="value"/>.</summary>
    static abstract TSelf Create(T value);

    /// <summary>The <see cref="Count"/> values from <paramref name="source"/> + <paramref name="index"/> (no bounds check).</summary>
    static abstract TSelf Load(ref T source, nuint index);

    /// <summary>Writes the lanes to <paramref name="destination"/> + <paramref name="index"/> (no bounds check).</summary>
    void Store(ref T destination, nuint index);

    /// <summary>Lane-wise a + b.</summary>
    static abstract TSelf operator +(TSelf left, TSelf right);

    /// <summary>Lane-wise a − b.</summary>
    static abstract TSelf operator -(TSelf left, TSelf right);

    /// <summary>Lane-wise a·b.</summary>
    static abstract TSelf operator *(TSelf left, TSelf right);

    /// <summary>Lane-wise: <paramref name="value"/> where <paramref name="condition"/> &gt; 0, else 0.</summary>
    static abstract TSelf WherePositive(TSelf condition, TSelf value);
}

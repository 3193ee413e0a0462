namespace NormCourse.Data;

/// <summary>
/// The content of one IDX file of unsigned bytes: its dimension sizes and its values, row-major
/// (an idx3 image file is (count, rows, cols); an idx1 label file is (count,)).
/// </summary>
public sealed class IdxArray
{
    private readonly int[] _shape;

    /// <summary>Wraps a shape and its values; the values' length must be the product of the shape.</summary>
    /// <exception cref="ArgumentException">The lengths disagree or the shape is empty or negative.</exception>
    public IdxArray(int[] shape, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (shape.Length is 0 or > byte.MaxValue)
            throw new ArgumentException($"An IDX array has 1 to 255 dimensions, got {shape.Length}.", nameof(shape));
        long tail = 1;
        for (int i = 1; i < shape.Length; i++)
        {
            if (shape[i] < 0) throw new ArgumentException("IDX dimension sizes cannot be negative.", nameof(shape));
            tail *= shape[i];
            if (tail > Array.MaxLength) throw new ArgumentException("One IDX item holds more values than one array can.", nameof(shape));
        }
        if (shape[0] < 0) throw new ArgumentException("IDX dimension sizes cannot be negative.", nameof(shape));
        long n = tail * shape[0];
        if (n != data.Length)
            throw new ArgumentException($"The shape holds {n} values but the data has {data.Length}.", nameof(data));
        _shape = (int[])shape.Clone();
        Data = data;
        ItemLength = (int)tail;
    }

    /// <summary>The dimension sizes; the first is the number of items.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of items: the size of the first dimension.</summary>
    public int Count => _shape[0];

    /// <summary>The values, row-major.</summary>
    public byte[] Data { get; }

    /// <summary>The number of values in one item: the product of every dimension but the first.</summary>
    public int ItemLength { get; }
}

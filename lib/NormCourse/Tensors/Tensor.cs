using System.Globalization;
using System.Text;

namespace NormCourse.Tensors;

/// <summary>
/// A dense, row-major tensor: a shape and a flat run of values in an array, the last axis varying fastest.
/// Images are (N, C, H, W). The element type is <see cref="float"/> for training and <see cref="double"/>
/// for checks; the code is written once over <see cref="IFloatingPointIeee754{TSelf}"/>.
/// </summary>
/// <remarks>
/// Deliberately small, in the spirit of micrograd: no strides, no views, no autograd. <see cref="Reshape"/> shares the
/// values, which is all the layers need. A large tensor's values begin a little way into their array, on a cache line
/// (<see cref="TensorStorage"/>), so <see cref="Data"/> is an <see cref="ArraySegment{T}"/>: index it, loop over it and
/// query it as an array; kernels take <see cref="Span"/>.
/// </remarks>
public sealed class Tensor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _shape;

    private readonly ArraySegment<T> _data;

    /// <summary>The values, row-major; exactly <see cref="Length"/> of them. <c>t.Data[i] = v</c> writes one.</summary>
    public ref readonly ArraySegment<T> Data => ref _data;

    /// <summary>The size of each axis.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of axes.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of values: the product of the shape.</summary>
    public int Length => _data.Count;

    /// <summary>The values as a span.</summary>
    public Span<T> Span => _data.AsSpan();

    private Tensor(ArraySegment<T> data, int[] shape)
    {
        _data = data;
        _shape = shape;
    }

    /// <summary>A tensor of zeros of the given shape.</summary>
    public static Tensor<T> Zeros(params int[] shape) => new(TensorStorage.Allocate<T>(CheckedLength(shape)), (int[])shape.Clone());

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor<T> Full(T value, params int[] shape)
    {
        var t = Zeros(shape);
        t.Span.Fill(value);
        return t;
    }

    /// <summary>Wraps <paramref name="data"/> (not copied) as a tensor of the given shape.</summary>
    /// <exception cref="ArgumentException">The data's length is not the product of the shape.</exception>
    public static Tensor<T> FromArray(T[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        long expected = CheckedLength(shape);
        if (data.Length != expected)
            throw new ArgumentException(
                $"Shape {FormatShape(shape)} holds {expected} values, but the data has {data.Length}.", nameof(data));
        return new Tensor<T>(data, (int[])shape.Clone());
    }

    /// <summary>Converts values of another element type (for example float64 to float32).</summary>
    public static Tensor<T> From<TFrom>(Tensor<TFrom> source) where TFrom : unmanaged, IFloatingPointIeee754<TFrom>
    {
        var t = Zeros(source.Shape.ToArray());
        var src = source.Span;
        var dst = t.Span;
        for (int i = 0; i < dst.Length; i++) dst[i] = T.CreateChecked(src[i]);
        return t;
    }

    /// <summary>The size of axis <paramref name="axis"/>; negative axes count from the end, as in PyTorch.</summary>
    public int Dim(int axis)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if (a < 0 || a >= Rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} does not exist in a tensor of shape {ShapeString}.");
        return _shape[a];
    }

    /// <summary>The same data under another shape (one axis may be -1, inferred). No copy is made.</summary>
    public Tensor<T> Reshape(params int[] shape)
    {
        var resolved = (int[])shape.Clone();
        int inferred = Array.IndexOf(resolved, -1);
        if (inferred >= 0)
        {
            long known = 1;
            for (int i = 0; i < resolved.Length; i++) if (i != inferred) known *= resolved[i];
            if (known <= 0 || Length % known != 0)
                throw new ArgumentException($"Cannot reshape {ShapeString} to {FormatShape(shape)}.", nameof(shape));
            resolved[inferred] = (int)(Length / known);
        }
        if (CheckedLength(resolved) != Length)
            throw new ArgumentException($"Cannot reshape {ShapeString} ({Length} values) to {FormatShape(shape)}.", nameof(shape));
        return new Tensor<T>(_data, resolved);
    }

    /// <summary>A copy with its own values.</summary>
    public Tensor<T> Clone()
    {
        var copy = Zeros(_shape);
        Span.CopyTo(copy.Span);
        return copy;
    }

    /// <summary>True when the shapes are equal.</summary>
    public bool HasShape(ReadOnlySpan<int> shape) => Shape.SequenceEqual(shape);

    /// <summary>One value by its index on every axis (slow; for exploring, not for kernels).</summary>
    public T this[params int[] index]
    {
        get => _data[FlatIndex(index)];
        set => _data[FlatIndex(index)] = value;
    }

    private int FlatIndex(int[] index)
    {
        if (index.Length != Rank)
            throw new ArgumentException($"A tensor of shape {ShapeString} needs {Rank} indices, got {index.Length}.");
        int flat = 0;
        for (int a = 0; a < Rank; a++)
        {
            if ((uint)index[a] >= (uint)_shape[a])
                throw new IndexOutOfRangeException($"Index {index[a]} is out of range for axis {a} of size {_shape[a]}.");
            flat = flat * _shape[a] + index[a];
        }
        return flat;
    }

    /// <summary>The shape as PyTorch prints it, e.g. <c>(60, 100)</c>.</summary>
    public string ShapeString => FormatShape(_shape);

    /// <summary>The shape and the first few values.</summary>
    public override string ToString()
    {
        const int preview = 8;
        var sb = new StringBuilder($"Tensor<{typeof(T).Name}> {ShapeString} [");
        for (int i = 0; i < Math.Min(preview, Length); i++)
            sb.Append(i == 0 ? "" : ", ").Append(_data[i].ToString("G5", CultureInfo.InvariantCulture));
        if (Length > preview) sb.Append(", …");
        return sb.Append(']').ToString();
    }

    /// <summary>
    /// Returns <paramref name="buffer"/> when it already has <paramref name="shape"/>, otherwise a new zeroed
    /// tensor stored back into it. Layers keep their outputs in such buffers so a training step allocates
    /// nothing once shapes are steady.
    /// </summary>
    public static Tensor<T> Reuse(ref Tensor<T>? buffer, ReadOnlySpan<int> shape)
    {
        if (buffer is null || !buffer.HasShape(shape)) buffer = Zeros(shape.ToArray());
        return buffer;
    }

    internal static string FormatShape(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("(");
        for (int i = 0; i < shape.Length; i++) sb.Append(i == 0 ? "" : ", ").Append(shape[i]);
        if (shape.Length == 1) sb.Append(',');
        return sb.Append(')').ToString();
    }

    private static int CheckedLength(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Shape {FormatShape(shape)} has a negative size.");
            n *= d;
            if (n > Array.MaxLength) throw new ArgumentException($"Shape {FormatShape(shape)} is too large for one array.");
        }
        return (int)n;
    }
}

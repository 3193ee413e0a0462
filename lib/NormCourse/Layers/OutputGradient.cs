using System.Runtime.InteropServices;
using NormCourse.Tensors.Simd;

namespace NormCourse.Layers;

/// <summary>
/// The gradient of an activation written in terms of its output, dx = f(y, dy) elementwise: ReLU's dy where y &gt; 0,
/// Sigmoid's (1 − y)·y·dy. The rule is a struct type argument, so the JIT compiles one loop per rule and width with the
/// rule inlined.
/// </summary>
internal interface IOutputGradient<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The rule on a vector of lanes.</summary>
    static abstract TV Of<TV>(TV y, TV dy) where TV : struct, IVector<TV, T>;

    /// <summary>The same rule on one value, with the same roundings.</summary>
    static abstract T Of(T y, T dy);
}

/// <summary>
/// Applies an <see cref="IOutputGradient{T}"/> in vectors of a given width (the layers run the widest, the tests every
/// one) and one value at a time for the tail. Written here because TensorPrimitives has no select, and a rule built of
/// whole-span operations passes over the arrays once per operation.
/// </summary>
internal static class OutputGradient
{
    /// <summary>dx[i] = TRule.Of(y[i], dy[i]).</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void Apply<T, TRule>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, VectorWidth width)
        where T : unmanaged, IFloatingPointIeee754<T> where TRule : IOutputGradient<T>
    {
        if (y.Length != dx.Length || dy.Length != dx.Length)
            throw new ArgumentException($"y, dy and dx differ in length ({y.Length}, {dy.Length}, {dx.Length}).");
        switch (width)
        {
            case VectorWidth.Bits512: Apply<T, TRule, Lanes512<T>>(y, dy, dx); break;
            case VectorWidth.Bits256: Apply<T, TRule, Lanes256<T>>(y, dy, dx); break;
            default: Apply<T, TRule, Lanes128<T>>(y, dy, dx); break;
        }
    }

    private static void Apply<T, TRule, TV>(ReadOnlySpan<T> ys, ReadOnlySpan<T> dys, Span<T> dxs)
        where T : unmanaged, IFloatingPointIeee754<T> where TRule : IOutputGradient<T> where TV : struct, IVector<TV, T>
    {
        ref T y = ref MemoryMarshal.GetReference(ys);
        ref T dy = ref MemoryMarshal.GetReference(dys);
        ref T dx = ref MemoryMarshal.GetReference(dxs);
        int i = 0;
        if (VectorWidths.AnyAccelerated && TV.IsSupported)
            for (; i <= dxs.Length - TV.Count; i += TV.Count)
                TRule.Of(TV.Load(ref y, (nuint)i), TV.Load(ref dy, (nuint)i)).Store(ref dx, (nuint)i);
        for (; i < dxs.Length; i++) dxs[i] = TRule.Of(ys[i], dys[i]);
    }
}

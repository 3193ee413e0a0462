using System.Runtime.InteropServices;
using NormCourse.Tensors;
using NormCourse.Tensors.Simd;

namespace NormCourse.Layers;

/// <summary>The rectifier, PyTorch's <c>nn.ReLU</c>: y = max(x, 0), elementwise, any shape.</summary>
public sealed class ReLU<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Tensor<T>? _output;      // same shape as the input; y > 0 exactly where x > 0, so backward needs only y
    private Tensor<T>? _gradInput;

    /// <summary>y = max(x, 0).</summary>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        var y = Tensor<T>.Reuse(ref _output, input.Shape);
        TensorPrimitives.Max(input.Span, T.Zero, y.Span);
        return y;
    }

    /// <summary>dx = dy where x &gt; 0, else 0 (the subgradient 0 is taken at x = 0, as PyTorch does).</summary>
    public override Tensor<T> Backward(Tensor<T> gradOutput)
    {
        var y = RequireCache(_output, "ReLU");
        ShapeCheck.SameAsOutput(gradOutput, y.Shape, "ReLU");
        var dx = Tensor<T>.Reuse(ref _gradInput, y.Shape);
        MaskGradient(y.Span, gradOutput.Span, dx.Span, VectorWidths.Widest);
        return dx;
    }

    /// <summary>
    /// dx = dy where y &gt; 0, else 0, in vectors of <paramref name="width"/> (the layer runs the widest, the tests every
    /// one).
    /// </summary>
    internal static void MaskGradient(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, VectorWidth width)
    {
        if (y.Length != dx.Length || dy.Length != dx.Length)
            throw new ArgumentException($"y, dy and dx differ in length ({y.Length}, {dy.Length}, {dx.Length}).");
        switch (width)
        {
            case VectorWidth.Bits512: MaskGradient<Lanes512<T>>(y, dy, dx); break;
            case VectorWidth.Bits256: MaskGradient<Lanes256<T>>(y, dy, dx); break;
            default: MaskGradient<Lanes128<T>>(y, dy, dx); break;
        }
    }

    private static void MaskGradient<TV>(ReadOnlySpan<T> ys, ReadOnlySpan<T> dy, Span<T> dxs) where TV : struct, IVector<TV, T>
    {
        // ∂y/∂x = 1[x > 0] = 1[y > 0]. TensorPrimitives has no select, so the vectors are written here: a mask of
        // y > 0 picks dy or 0, a vector at a time (the scalar loop made this a tenth of a LeNet step).
        ref T y = ref MemoryMarshal.GetReference(ys);
        ref T g = ref MemoryMarshal.GetReference(dy);
        ref T dx = ref MemoryMarshal.GetReference(dxs);
        int i = 0;
        if (VectorWidths.AnyAccelerated && TV.IsSupported)
            for (; i <= dxs.Length - TV.Count; i += TV.Count)
                TV.WherePositive(TV.Load(ref y, (nuint)i), TV.Load(ref g, (nuint)i)).Store(ref dx, (nuint)i);
        for (; i < dxs.Length; i++) dxs[i] = ys[i] > T.Zero ? dy[i] : T.Zero;
    }

    /// <summary>As PyTorch prints it: <c>ReLU()</c>.</summary>
    public override string ToString() => "ReLU()";
}

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
    /// one): ∂y/∂x = 1[x > 0] = 1[y > 0], a mask of y > 0 picking dy or 0 (the scalar loop made this a tenth of a LeNet
    /// step).
    /// </summary>
    internal static void MaskGradient(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, VectorWidth width) =>
        OutputGradient.Apply<T, Mask>(y, dy, dx, width);

    private readonly struct Mask : IOutputGradient<T>
    {
        public static TV Of<TV>(TV y, TV dy) where TV : struct, IVector<TV, T> => TV.WherePositive(y, dy);

        public static T Of(T y, T dy) => y > T.Zero ? dy : T.Zero;
    }

    /// <summary>As PyTorch prints it: <c>ReLU()</c>.</summary>
    public override string ToString() => "ReLU()";
}

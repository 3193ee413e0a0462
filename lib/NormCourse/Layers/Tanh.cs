using NormCourse.Tensors;

namespace NormCourse.Layers;

/// <summary>The hyperbolic tangent, PyTorch's <c>nn.Tanh</c>: y = tanh(x), elementwise, any shape.</summary>
public sealed class Tanh<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Tensor<T>? _output;      // same shape as the input; tanh' is written in terms of y, so y is the cache
    private Tensor<T>? _gradInput;

    /// <summary>y = tanh(x).</summary>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        var y = Tensor<T>.Reuse(ref _output, input.Shape);
        TensorPrimitives.Tanh(input.Span, y.Span);
        return y;
    }

    /// <summary>dx = dy·(1 − y²).</summary>
    public override Tensor<T> Backward(Tensor<T> gradOutput)
    {
        var y = RequireCache(_output, "Tanh");
        ShapeCheck.SameAsOutput(gradOutput, y.Shape, "Tanh");
        var dx = Tensor<T>.Reuse(ref _gradInput, y.Shape);
        ReadOnlySpan<T> ys = y.Span, dy = gradOutput.Span;
        var dxs = dx.Span;
        // tanh'(x) = 1/cosh²(x) = 1 − tanh²(x) = 1 − y²
        for (int i = 0; i < dxs.Length; i++) dxs[i] = dy[i] * (T.One - ys[i] * ys[i]);
        return dx;
    }

    /// <summary>As PyTorch prints it: <c>Tanh()</c>.</summary>
    public override string ToString() => "Tanh()";
}

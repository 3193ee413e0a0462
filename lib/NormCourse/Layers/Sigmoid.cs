using NormCourse.Tensors;

namespace NormCourse.Layers;

/// <summary>The logistic function, PyTorch's <c>nn.Sigmoid</c>: y = σ(x) = 1 / (1 + e⁻ˣ), elementwise, any shape.</summary>
public sealed class Sigmoid<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Tensor<T>? _output;      // same shape as the input; σ' is written in terms of y, so y is the cache
    private Tensor<T>? _gradInput;

    /// <summary>y = σ(x).</summary>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        var y = Tensor<T>.Reuse(ref _output, input.Shape);
        TensorPrimitives.Sigmoid(input.Span, y.Span);
        return y;
    }

    /// <summary>dx = dy·y·(1 − y).</summary>
    public override Tensor<T> Backward(Tensor<T> gradOutput)
    {
        var y = RequireCache(_output, "Sigmoid");
        ShapeCheck.SameAsOutput(gradOutput, y.Shape, "Sigmoid");
        var dx = Tensor<T>.Reuse(ref _gradInput, y.Shape);
        ReadOnlySpan<T> ys = y.Span, dy = gradOutput.Span;
        var dxs = dx.Span;
        // σ'(x) = e⁻ˣ/(1 + e⁻ˣ)² = σ(x)·(1 − σ(x)) = y·(1 − y)
        // As whole-vector operations: (1 − y), times y, times dy.
        TensorPrimitives.Subtract(T.One, ys, dxs);
        TensorPrimitives.Multiply(dxs, ys, dxs);
        TensorPrimitives.Multiply(dxs, dy, dxs);
        return dx;
    }

    /// <summary>As PyTorch prints it: <c>Sigmoid()</c>.</summary>
    public override string ToString() => "Sigmoid()";
}

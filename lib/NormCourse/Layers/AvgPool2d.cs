using NormCourse.Tensors;

namespace NormCourse.Layers;

/// <summary>
/// Average pooling, PyTorch's <c>nn.AvgPool2d</c> without padding: y[n, c, oh, ow] is the mean of the k×k window
/// starting at (oh·s, ow·s). Input (N, C, H, W) → (N, C, H', W'), H' = (H − k)/s + 1 rounded down.
/// </summary>
public sealed class AvgPool2d<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private int[]? _inputShape;
    private Tensor<T>? _output;
    private Tensor<T>? _gradInput;

    /// <summary>The side k of the square window.</summary>
    public int KernelSize { get; }

    /// <summary>The step s between windows; windows overlap when s &lt; k.</summary>
    public int Stride { get; }

    /// <summary>Creates the layer; <paramref name="stride"/> defaults to <paramref name="kernelSize"/> (non-overlapping windows), as in PyTorch.</summary>
    public AvgPool2d(int kernelSize, int? stride = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        if (stride is { } s) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(s, nameof(stride));
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
    }

    /// <summary>The mean of each window.</summary>
    /// <exception cref="ArgumentException">The input is not (N, C, H, W), or is smaller than the window.</exception>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        var (n, c, h, w, outH, outW) = Pooling.Geometry(input, KernelSize, Stride, "AvgPool2d");
        var y = Tensor<T>.Reuse(ref _output, [n, c, outH, outW]);
        if (_inputShape is null || !input.HasShape(_inputShape)) _inputShape = input.Shape.ToArray();
        ReadOnlySpan<T> x = input.Span;
        var ys = y.Span;
        T area = T.CreateChecked(KernelSize * KernelSize);

        for (int plane = 0; plane < n * c; plane++)
        {
            int inBase = plane * h * w, outBase = plane * outH * outW;
            for (int oh = 0; oh < outH; oh++)
            for (int ow = 0; ow < outW; ow++)
            {
                T sum = T.Zero;
                for (int i = 0; i < KernelSize; i++)
                    sum += TensorPrimitives.Sum(x.Slice(inBase + (oh * Stride + i) * w + ow * Stride, KernelSize));
                ys[outBase + oh * outW + ow] = sum / area;
            }
        }
        return y;
    }

    /// <summary>Spreads each output gradient evenly, dy/k², over its window; overlapping windows add up.</summary>
    public override Tensor<T> Backward(Tensor<T> gradOutput)
    {
        var y = RequireCache(_output, "AvgPool2d");
        ShapeCheck.SameAsOutput(gradOutput, y.Shape, "AvgPool2d");
        var dx = Tensor<T>.Reuse(ref _gradInput, _inputShape);
        var dxs = dx.Span;
        ReadOnlySpan<T> dy = gradOutput.Span;
        dxs.Clear();
        int h = _inputShape![2], w = _inputShape[3], outH = y.Shape[2], outW = y.Shape[3];
        T area = T.CreateChecked(KernelSize * KernelSize);

        for (int plane = 0; plane < y.Shape[0] * y.Shape[1]; plane++)
        {
            int inBase = plane * h * w, outBase = plane * outH * outW;
            for (int oh = 0; oh < outH; oh++)
            for (int ow = 0; ow < outW; ow++)
            {
                // y = (1/k²)·Σ_window x, so every x in the window gets dy/k².
                T share = dy[outBase + oh * outW + ow] / area;
                for (int i = 0; i < KernelSize; i++)
                {
                    var row = dxs.Slice(inBase + (oh * Stride + i) * w + ow * Stride, KernelSize);
                    TensorPrimitives.Add(row, share, row);
                }
            }
        }
        return dx;
    }

    /// <summary>As PyTorch prints it: <c>AvgPool2d(kernel_size=2, stride=2, padding=0)</c>.</summary>
    public override string ToString() => $"AvgPool2d(kernel_size={KernelSize}, stride={Stride}, padding=0)";
}

using System.Runtime.InteropServices;
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
        if (TwoByTwoPooling.Applies<T>(KernelSize, Stride, outW))
            TwoByTwoPooling.Average(MemoryMarshal.Cast<T, float>(input.Span), n * c, h, w, MemoryMarshal.Cast<T, float>(y.Span));
        else
            ForwardLoop(input.Span, n * c, h, w, KernelSize, Stride, y.Span);
        return y;
    }

    /// <summary>Spreads each output gradient evenly, dy/k², over its window; overlapping windows add up.</summary>
    public override Tensor<T> Backward(Tensor<T> gradOutput)
    {
        var y = RequireCache(_output, "AvgPool2d");
        ShapeCheck.SameAsOutput(gradOutput, y.Shape, "AvgPool2d");
        var dx = Tensor<T>.Reuse(ref _gradInput, _inputShape);
        int planes = y.Shape[0] * y.Shape[1], h = _inputShape![2], w = _inputShape[3];
        if (TwoByTwoPooling.Applies<T>(KernelSize, Stride, y.Shape[3]))
            TwoByTwoPooling.AverageBackward(MemoryMarshal.Cast<T, float>(gradOutput.Span), planes, h, w, MemoryMarshal.Cast<T, float>(dx.Span));
        else
            BackwardLoop(gradOutput.Span, planes, h, w, KernelSize, Stride, dx.Span);
        return dx;
    }

    /// <summary>
    /// The definition, window by window: y = the mean of each k×k window of each of the <paramref name="planes"/>
    /// (H, W) planes, summed in row-major order from 0 as PyTorch sums it. 2×2 windows at stride 2 over float32 take
    /// <see cref="TwoByTwoPooling.Average"/>, tested equal to this.
    /// </summary>
    internal static void ForwardLoop(ReadOnlySpan<T> x, int planes, int h, int w, int k, int s, Span<T> y)
    {
        int outH = (h - k) / s + 1, outW = (w - k) / s + 1;
        T area = T.CreateChecked(k * k);
        for (int plane = 0; plane < planes; plane++)
        {
            int inBase = plane * h * w, outBase = plane * outH * outW;
            for (int oh = 0; oh < outH; oh++)
            for (int ow = 0; ow < outW; ow++)
            {
                T sum = T.Zero;
                for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++)
                    sum += x[inBase + (oh * s + i) * w + ow * s + j];
                y[outBase + oh * outW + ow] = sum / area;
            }
        }
    }

    /// <summary>
    /// The definition of the backward pass, window by window: dx = 0, then each window's dy/k² added to each of its
    /// pixels. <see cref="TwoByTwoPooling.AverageBackward"/> is tested equal to this.
    /// </summary>
    internal static void BackwardLoop(ReadOnlySpan<T> dy, int planes, int h, int w, int k, int s, Span<T> dx)
    {
        int outH = (h - k) / s + 1, outW = (w - k) / s + 1;
        T area = T.CreateChecked(k * k);
        dx[..(planes * h * w)].Clear();
        for (int plane = 0; plane < planes; plane++)
        {
            int inBase = plane * h * w, outBase = plane * outH * outW;
            for (int oh = 0; oh < outH; oh++)
            for (int ow = 0; ow < outW; ow++)
            {
                // y = (1/k²)·Σ_window x, so every x in the window gets dy/k².
                T share = dy[outBase + oh * outW + ow] / area;
                for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++)
                    dx[inBase + (oh * s + i) * w + ow * s + j] += share;
            }
        }
    }

    /// <summary>As PyTorch prints it: <c>AvgPool2d(kernel_size=2, stride=2, padding=0)</c>.</summary>
    public override string ToString() => $"AvgPool2d(kernel_size={KernelSize}, stride={Stride}, padding=0)";
}

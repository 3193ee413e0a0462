using System.Runtime.InteropServices;
using NormCourse.Tensors;

namespace NormCourse.Layers;

/// <summary>
/// Max pooling, PyTorch's <c>nn.MaxPool2d</c> without padding: y[n, c, oh, ow] is the largest x[n, c, h, w] in the
/// k×k window starting at (oh·s, ow·s). Input (N, C, H, W) → (N, C, H', W'), H' = (H − k)/s + 1 rounded down.
/// </summary>
public sealed class MaxPool2d<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private int[]? _argmax;           // (N, C, H', W'): flat index into the input of each window's maximum
    private int[]? _inputShape;
    private Tensor<T>? _output;
    private Tensor<T>? _gradInput;

    /// <summary>The side k of the square window.</summary>
    public int KernelSize { get; }

    /// <summary>The step s between windows; windows overlap when s &lt; k.</summary>
    public int Stride { get; }

    /// <summary>Creates the layer; <paramref name="stride"/> defaults to <paramref name="kernelSize"/> (non-overlapping windows), as in PyTorch.</summary>
    public MaxPool2d(int kernelSize, int? stride = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        if (stride is { } s) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(s, nameof(stride));
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
    }

    /// <summary>The maximum of each window; records where it was for <see cref="Backward"/>.</summary>
    /// <exception cref="ArgumentException">The input is not (N, C, H, W), or is smaller than the window.</exception>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        var (n, c, h, w, outH, outW) = Pooling.Geometry(input, KernelSize, Stride, "MaxPool2d");
        var y = Tensor<T>.Reuse(ref _output, [n, c, outH, outW]);
        if (_argmax is null || _argmax.Length != y.Length) _argmax = new int[y.Length];
        if (_inputShape is null || !input.HasShape(_inputShape)) _inputShape = input.Shape.ToArray();
        if (TwoByTwoPooling.Applies<T>(KernelSize, Stride, outW))
            TwoByTwoPooling.Max(MemoryMarshal.Cast<T, float>(input.Span), n * c, h, w, MemoryMarshal.Cast<T, float>(y.Span), _argmax);
        else
            ForwardLoop(input.Span, n * c, h, w, KernelSize, Stride, y.Span, _argmax);
        return y;
    }

    /// <summary>
    /// The definition, window by window: y = the largest value of each k×k window of each of the
    /// <paramref name="planes"/> (H, W) planes, argmax its flat index in x. 2×2 windows at stride 2 over float32 take
    /// <see cref="TwoByTwoPooling.Max"/>, tested equal to this.
    /// </summary>
    internal static void ForwardLoop(ReadOnlySpan<T> x, int planes, int h, int w, int k, int s, Span<T> y, Span<int> argmax)
    {
        int outH = (h - k) / s + 1, outW = (w - k) / s + 1;
        for (int plane = 0; plane < planes; plane++)
        {
            int inBase = plane * h * w, outBase = plane * outH * outW;
            for (int oh = 0; oh < outH; oh++)
            for (int ow = 0; ow < outW; ow++)
            {
                int start = inBase + oh * s * w + ow * s, best = start;
                T bestValue = x[start];
                for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++)
                {
                    int at = start + i * w + j;
                    T value = x[at];
                    // Strictly greater: on a tie the first maximum in row-major order wins, as in PyTorch.
                    // A NaN wins and stays, so NaN propagates as in PyTorch.
                    if (value > bestValue || (T.IsNaN(value) && !T.IsNaN(bestValue)))
                    {
                        best = at;
                        bestValue = value;
                    }
                }
                y[outBase + oh * outW + ow] = bestValue;
                argmax[outBase + oh * outW + ow] = best;
            }
        }
    }

    /// <summary>Routes each output gradient to the input that was the window's maximum; overlapping windows add up.</summary>
    public override Tensor<T> Backward(Tensor<T> gradOutput)
    {
        var y = RequireCache(_output, "MaxPool2d");
        ShapeCheck.SameAsOutput(gradOutput, y.Shape, "MaxPool2d");
        var dx = Tensor<T>.Reuse(ref _gradInput, _inputShape);
        var dxs = dx.Span;
        ReadOnlySpan<T> dy = gradOutput.Span;
        dxs.Clear();
        // y = x[argmax], so ∂y/∂x[i] = 1 when i = argmax and 0 elsewhere: dx[argmax] += dy.
        for (int o = 0; o < dy.Length; o++) dxs[_argmax![o]] += dy[o];
        return dx;
    }

    /// <summary>As PyTorch prints it: <c>MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)</c>.</summary>
    public override string ToString() =>
        $"MaxPool2d(kernel_size={KernelSize}, stride={Stride}, padding=0, dilation=1, ceil_mode=False)";
}

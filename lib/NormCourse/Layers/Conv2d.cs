using NormCourse.Tensors;

namespace NormCourse.Layers;

/// <summary>
/// A 2-D convolution (cross-correlation, as in every deep-learning library), PyTorch's <c>nn.Conv2d</c> with a
/// square kernel: y[n, o, oh, ow] = b[o] + Σ_{c,i,j} W[o, c, i, j]·x[n, c, oh·s − p + i, ow·s − p + j],
/// with zeros outside the image. Input (N, C, H, W) → output (N, out, H', W'), H' = (H + 2p − k)/s + 1.
/// </summary>
/// <remarks>
/// Computed per sample as one matrix multiply through <see cref="Im2Col"/>: Y (out, H'·W') = W (out, C·k·k) ·
/// cols (C·k·k, H'·W'). The backward pass rebuilds the columns instead of caching them for the whole batch
/// (they are k² times the input), trading a cheap copy for memory.
/// </remarks>
public sealed class Conv2d<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Tensor<T>? _input;        // (N, C, H, W), cached by Forward
    private Tensor<T>? _output;       // (N, out, H', W')
    private Tensor<T>? _gradInput;    // (N, C, H, W)
    private Tensor<T>? _columns;      // (C·k·k, H'·W'), one sample at a time
    private Tensor<T>? _gradColumns;  // (C·k·k, H'·W')

    /// <summary>The number of input channels C.</summary>
    public int InChannels { get; }

    /// <summary>The number of output channels (filters).</summary>
    public int OutChannels { get; }

    /// <summary>The side k of the square kernel.</summary>
    public int KernelSize { get; }

    /// <summary>The step s between neighbouring windows, the same along both axes.</summary>
    public int Stride { get; }

    /// <summary>The zeros p added on every side of the image.</summary>
    public int Padding { get; }

    /// <summary>The filters W, shape (out, C, k, k).</summary>
    public Parameter<T> Weight { get; }

    /// <summary>The bias b, shape (out); null when the layer was created with <c>bias: false</c>.</summary>
    public Parameter<T>? Bias { get; }

    /// <summary>
    /// Creates the layer with PyTorch's default initialisation: W and b ~ U(−1/√(C·k·k), 1/√(C·k·k)),
    /// drawn from <paramref name="random"/>, weight first.
    /// </summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Random random, int stride = 1, int padding = 0, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentNullException.ThrowIfNull(random);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        double bound = 1.0 / Math.Sqrt(inChannels * kernelSize * kernelSize);
        var weight = Tensor<T>.Zeros(outChannels, inChannels, kernelSize, kernelSize);
        Init.Uniform(weight, -bound, bound, random);
        Weight = new Parameter<T>(weight);
        if (bias)
        {
            var b = Tensor<T>.Zeros(outChannels);
            Init.Uniform(b, -bound, bound, random);
            Bias = new Parameter<T>(b);
        }
    }

    private string Name => $"Conv2d({InChannels}→{OutChannels}, kernel {KernelSize}, stride {Stride}, padding {Padding})";

    /// <summary>The convolution of <paramref name="input"/> (N, C, H, W); returns (N, out, H', W').</summary>
    /// <exception cref="ArgumentException">The input is not (N, C, H, W) with C = <see cref="InChannels"/>, or is smaller than the kernel.</exception>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        if (input.Rank != 4 || input.Shape[1] != InChannels)
            throw new ArgumentException($"{Name} expects input (N, {InChannels}, H, W), got {input.ShapeString}.", nameof(input));
        var (n, h, w, outH, outW) = Geometry(input);
        int patch = InChannels * KernelSize * KernelSize, outLength = outH * outW;
        var y = Tensor<T>.Reuse(ref _output, [n, OutChannels, outH, outW]);
        var cols = Tensor<T>.Reuse(ref _columns, [patch, outLength]);
        int imageLength = InChannels * h * w;

        for (int s = 0; s < n; s++)
        {
            // cols (C·k·k, H'·W') ← the patches of image s
            Im2Col.Unfold<T>(input.Span.Slice(s * imageLength, imageLength), InChannels, h, w, KernelSize, Stride, Padding, cols.Span);
            // y[s] (out, H'·W') = W (out, C·k·k) · cols (C·k·k, H'·W')
            var ys = y.Span.Slice(s * OutChannels * outLength, OutChannels * outLength);
            Gemm.Multiply<T>(Weight.Value.Span, false, cols.Span, false, ys, OutChannels, outLength, patch);
            if (Bias is not null)
            {
                // y[s, o, :, :] += b[o]
                for (int o = 0; o < OutChannels; o++)
                {
                    var plane = ys.Slice(o * outLength, outLength);
                    TensorPrimitives.Add(plane, Bias.Value.Span[o], plane);
                }
            }
        }
        _input = input;
        return y;
    }

    /// <summary>
    /// Given dy (N, out, H', W'): dW += Σₛ dy[s]·colsₛᵀ, db += Σ dy over (N, H', W'), and returns
    /// dx = col2im(Wᵀ·dy[s]) for each sample s, shape (N, C, H, W).
    /// </summary>
    public override Tensor<T> Backward(Tensor<T> gradOutput) => BackwardPass(gradOutput, inputGradient: true)!;

    /// <summary>dW and db only: no ∂L/∂cols product and no col2im, about half of the layer's backward work.</summary>
    public override void BackwardToParameters(Tensor<T> gradOutput) => BackwardPass(gradOutput, inputGradient: false);

    private Tensor<T>? BackwardPass(Tensor<T> gradOutput, bool inputGradient)
    {
        var x = RequireCache(_input, "Conv2d");
        var (n, h, w, outH, outW) = Geometry(x);
        ShapeCheck.SameAsOutput(gradOutput, [n, OutChannels, outH, outW], "Conv2d");
        int patch = InChannels * KernelSize * KernelSize, outLength = outH * outW, imageLength = InChannels * h * w;
        var cols = Tensor<T>.Reuse(ref _columns, [patch, outLength]);
        var dcols = inputGradient ? Tensor<T>.Reuse(ref _gradColumns, [patch, outLength]) : null;
        var dx = inputGradient ? Tensor<T>.Reuse(ref _gradInput, x.Shape) : null;
        dx?.Span.Clear();    // col2im accumulates

        for (int s = 0; s < n; s++)
        {
            var dys = gradOutput.Span.Slice(s * OutChannels * outLength, OutChannels * outLength);
            var xs = x.Span.Slice(s * imageLength, imageLength);
            Im2Col.Unfold<T>(xs, InChannels, h, w, KernelSize, Stride, Padding, cols.Span);

            // Per sample the layer is Y = W·cols + b·1ᵀ, a Linear layer over the H'·W' patches, so
            //   ∂L/∂W = dY·colsᵀ        →  dW (out, C·k·k) += dy[s] (out, H'·W') · colsᵀ (H'·W', C·k·k)
            Gemm.Multiply<T>(dys, false, cols.Span, true, Weight.Grad.Span, OutChannels, patch, outLength, accumulate: true);

            //   ∂L/∂b[o] = Σ_{oh,ow} dY[o, oh, ow]
            if (Bias is not null)
            {
                var db = Bias.Grad.Span;
                for (int o = 0; o < OutChannels; o++) db[o] += TensorPrimitives.Sum<T>(dys.Slice(o * outLength, outLength));
            }

            if (dx is null) continue;
            //   ∂L/∂cols = Wᵀ·dY          →  dcols (C·k·k, H'·W') = Wᵀ (C·k·k, out) · dy[s] (out, H'·W')
            Gemm.Multiply<T>(Weight.Value.Span, true, dys, false, dcols!.Span, patch, outLength, OutChannels);

            //   cols copies pixels (im2col is linear), so ∂L/∂x is its transpose applied to ∂L/∂cols:
            //   each pixel receives the sum over every patch position it was copied to (col2im).
            Im2Col.Fold<T>(dcols.Span, InChannels, h, w, KernelSize, Stride, Padding, dx.Span.Slice(s * imageLength, imageLength));
        }
        return dx;
    }

    private (int N, int H, int W, int OutH, int OutW) Geometry(Tensor<T> input)
    {
        int n = input.Shape[0], h = input.Shape[2], w = input.Shape[3];
        if (h + 2 * Padding < KernelSize || w + 2 * Padding < KernelSize)
            throw new ArgumentException(
                $"{Name}: the input {input.ShapeString} padded to {h + 2 * Padding}×{w + 2 * Padding} is smaller than the kernel {KernelSize}×{KernelSize}.",
                nameof(input));
        return (n, h, w, Im2Col.OutputSize(h, KernelSize, Stride, Padding), Im2Col.OutputSize(w, KernelSize, Stride, Padding));
    }

    /// <summary>The filters as <c>weight</c> and, when present, the bias as <c>bias</c>.</summary>
    public override IEnumerable<(string Name, Parameter<T> Parameter)> NamedParameters()
    {
        yield return ("weight", Weight);
        if (Bias is not null) yield return ("bias", Bias);
    }

    /// <summary>As PyTorch prints it: <c>Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2), bias=False)</c>.</summary>
    public override string ToString() =>
        $"Conv2d({InChannels}, {OutChannels}, kernel_size=({KernelSize}, {KernelSize}), stride=({Stride}, {Stride})"
        + (Padding != 0 ? $", padding=({Padding}, {Padding})" : "")
        + (Bias is null ? ", bias=False" : "")
        + ")";
}

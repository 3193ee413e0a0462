using NormCourse.Tensors;

namespace NormCourse.Layers;

/// <summary>
/// A 2-D convolution (cross-correlation, as in every deep-learning library), PyTorch's <c>nn.Conv2d</c> with a
/// square kernel: y[n, o, oh, ow] = b[o] + Σ_{c,i,j} W[o, c, i, j]·x[n, c, oh·s − p + i, ow·s − p + j],
/// with zeros outside the image. Input (N, C, H, W) → output (N, out, H', W'), H' = (H + 2p − k)/s + 1.
/// </summary>
/// <remarks>
/// Computed as one matrix multiply through <see cref="Im2Col"/> for a chunk of samples at once: their column matrices
/// sit side by side in cols (C·k·k, samples·H'·W'), and Y (out, samples·H'·W') = W (out, C·k·k) · cols. A chunk holds
/// at most <see cref="ColumnBudget"/> values of columns, so that they are still in the L2 cache when the multiply reads
/// them: one sample per multiply left the GEMM packing tiny panels (16 filters × 100 positions in LeNet's second layer),
/// and the whole batch at once sent megabytes of columns through memory twice; on the course's machine LeNet's two
/// convolutions ran 8–10 % faster with 256 KiB chunks than one sample at a time, and 8–30 % faster than the whole batch. The backward pass rebuilds the columns instead
/// of caching them for the whole batch (they are k² times the input), trading a cheap copy for memory.
/// </remarks>
public sealed class Conv2d<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The most values the column matrix of one chunk of samples may hold (256 KiB of float32).</summary>
    internal const int ColumnBudget = 1 << 16;

    private Tensor<T>? _input;        // (N, C, H, W), cached by Forward
    private Tensor<T>? _output;       // (N, out, H', W')
    private Tensor<T>? _gradInput;    // (N, C, H, W)
    private Tensor<T>? _columns;      // (C·k·k, samples·H'·W') for one chunk of samples
    private Tensor<T>? _gradColumns;  // (C·k·k, samples·H'·W')
    private Tensor<T>? _chunkOutput;  // (out, samples·H'·W'): Y or dY of one chunk, channel-major

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
        int patch = InChannels * KernelSize * KernelSize, outLength = outH * outW, imageLength = InChannels * h * w;
        var y = Tensor<T>.Reuse(ref _output, [n, OutChannels, outH, outW]);
        int chunk = ChunkSize(n, patch * outLength);
        var chunkY = Tensor<T>.Reuse(ref _chunkOutput, [OutChannels, chunk * outLength]).Span;
        for (int first = 0; first < n; first += chunk)
        {
            int count = Math.Min(chunk, n - first);
            var cols = Unfold(input, first, count, chunk, h, w, patch, outLength, imageLength);
            // Y (out, samples·H'·W') = W (out, C·k·k) · cols (C·k·k, samples·H'·W')
            Gemm.Multiply<T>(Weight.Value.Span, false, cols, false, chunkY, OutChannels, count * outLength, patch);
            // y[s, o, :, :] = Y[o, block s] + b[o]: back to sample-major order, adding the bias on the way
            for (int s = 0; s < count; s++)
                for (int o = 0; o < OutChannels; o++)
                {
                    var source = chunkY.Slice((o * count + s) * outLength, outLength);
                    var target = y.Span.Slice(((first + s) * OutChannels + o) * outLength, outLength);
                    if (Bias is null) source.CopyTo(target);
                    else TensorPrimitives.Add(source, Bias.Value.Span[o], target);
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
        var dx = inputGradient ? Tensor<T>.Reuse(ref _gradInput, x.Shape) : null;
        dx?.Span.Clear();    // col2im accumulates

        int chunk = ChunkSize(n, patch * outLength);
        var chunkDy = Tensor<T>.Reuse(ref _chunkOutput, [OutChannels, chunk * outLength]).Span;
        var dcols = inputGradient ? Tensor<T>.Reuse(ref _gradColumns, [patch, chunk * outLength]).Span : default;
        for (int first = 0; first < n; first += chunk)
        {
            int count = Math.Min(chunk, n - first), width = count * outLength;
            var cols = Unfold(x, first, count, chunk, h, w, patch, outLength, imageLength);
            // dY of the chunk in the columns' order (out, samples·H'·W')
            for (int s = 0; s < count; s++)
                for (int o = 0; o < OutChannels; o++)
                    gradOutput.Span.Slice(((first + s) * OutChannels + o) * outLength, outLength)
                        .CopyTo(chunkDy.Slice((o * count + s) * outLength, outLength));

            // The layer is Y = W·cols + b·1ᵀ, a Linear layer over the chunk's patches, so
            //   ∂L/∂W = dY·colsᵀ        →  dW (out, C·k·k) += dY (out, samples·H'·W') · colsᵀ
            Gemm.Multiply<T>(chunkDy, false, cols, true, Weight.Grad.Span, OutChannels, patch, width, accumulate: true);

            //   ∂L/∂b[o] = Σ over samples and positions of dY[o]
            if (Bias is not null)
            {
                var db = Bias.Grad.Span;
                for (int o = 0; o < OutChannels; o++) db[o] += TensorPrimitives.Sum<T>(chunkDy.Slice(o * width, width));
            }

            if (dx is null) continue;
            //   ∂L/∂cols = Wᵀ·dY          →  dcols (C·k·k, samples·H'·W') = Wᵀ (C·k·k, out) · dY
            Gemm.Multiply<T>(Weight.Value.Span, true, chunkDy, false, dcols, patch, width, OutChannels);

            //   cols copies pixels (im2col is linear), so ∂L/∂x is its transpose applied to ∂L/∂cols:
            //   each pixel receives the sum over every patch position it was copied to (col2im).
            Im2Col.Fold<T>(dcols, InChannels, h, w, KernelSize, Stride, Padding,
                dx.Span.Slice(first * imageLength, count * imageLength), images: count);
        }
        return dx;
    }

    /// <summary>How many samples a chunk holds: as many as <see cref="ColumnBudget"/> allows, at least one.</summary>
    private static int ChunkSize(int n, int valuesPerSample) => Math.Clamp(ColumnBudget / valuesPerSample, 1, n);

    /// <summary>
    /// cols (C·k·k, count·H'·W') ← the patches of samples first…first+count−1, side by side, in a buffer sized for
    /// <paramref name="chunk"/> samples (the last chunk may be shorter and uses the front of it).
    /// </summary>
    private Span<T> Unfold(Tensor<T> input, int first, int count, int chunk, int h, int w, int patch, int outLength, int imageLength)
    {
        int width = count * outLength;
        var cols = Tensor<T>.Reuse(ref _columns, [patch, chunk * outLength]).Span[..(patch * width)];
        Im2Col.Unfold<T>(input.Span.Slice(first * imageLength, count * imageLength), InChannels, h, w, KernelSize, Stride, Padding,
            cols, images: count);
        return cols;
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

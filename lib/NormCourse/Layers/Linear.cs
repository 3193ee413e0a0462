using NormCourse.Tensors;

namespace NormCourse.Layers;

/// <summary>
/// A fully connected layer, PyTorch's <c>nn.Linear</c>: y = x·Wᵀ + b.
/// Input (N, in) → output (N, out); <see cref="Weight"/> is (out, in) and <see cref="Bias"/> is (out).
/// </summary>
public sealed class Linear<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Tensor<T>? _input;       // (N, in), cached by Forward for the weight gradient
    private Tensor<T>? _output;      // (N, out), reused between steps
    private Tensor<T>? _gradInput;   // (N, in), reused between steps

    /// <summary>The number of input features.</summary>
    public int InFeatures { get; }

    /// <summary>The number of output features.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight W, shape (out, in); row o holds the weights into output o.</summary>
    public Parameter<T> Weight { get; }

    /// <summary>The bias b, shape (out); null when the layer was created with <c>bias: false</c>.</summary>
    public Parameter<T>? Bias { get; }

    /// <summary>
    /// Creates the layer with PyTorch's default initialisation: W and b ~ U(−1/√in, 1/√in)
    /// (what <c>kaiming_uniform_(a=√5)</c> reduces to), drawn from <paramref name="random"/>, weight first.
    /// </summary>
    public Linear(int inFeatures, int outFeatures, Random random, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        ArgumentNullException.ThrowIfNull(random);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        double bound = 1.0 / Math.Sqrt(inFeatures);
        var weight = Tensor<T>.Zeros(outFeatures, inFeatures);
        Init.Uniform(weight, -bound, bound, random);
        Weight = new Parameter<T>(weight);
        if (bias)
        {
            var b = Tensor<T>.Zeros(outFeatures);
            Init.Uniform(b, -bound, bound, random);
            Bias = new Parameter<T>(b);
        }
    }

    private string Name => $"Linear({InFeatures}→{OutFeatures})";

    /// <summary>y[n, o] = Σᵢ x[n, i]·W[o, i] + b[o]. Input (N, in) → output (N, out).</summary>
    /// <exception cref="ArgumentException">The input is not (N, in).</exception>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        if (input.Rank != 2 || input.Shape[1] != InFeatures)
            throw new ArgumentException($"{Name} expects input (N, {InFeatures}), got {input.ShapeString}.", nameof(input));
        int n = input.Shape[0];
        var y = Tensor<T>.Reuse(ref _output, [n, OutFeatures]);

        // y (N, out) = x (N, in) · Wᵀ (in, out)
        Gemm.Multiply<T>(input.Span, false, Weight.Value.Span, true, y.Span, n, OutFeatures, InFeatures);
        if (Bias is not null)
        {
            // y[n, :] += b, row by row
            var b = Bias.Value.Span;
            for (int row = 0; row < n; row++)
            {
                InPlace.Add(y.Span.Slice(row * OutFeatures, OutFeatures), b);
            }
        }
        _input = input;
        return y;
    }

    /// <summary>
    /// Given dy (N, out): dW += dyᵀ·x, db += Σₙ dy[n, :], and returns dx = dy·W (N, in).
    /// </summary>
    public override Tensor<T> Backward(Tensor<T> gradOutput)
    {
        int n = AccumulateParameterGradients(gradOutput);

        //   ∂L/∂x[n, i] = Σₒ dy[n, o]·W[o, i]  →  dx (N, in) = dy (N, out) · W (out, in)
        var dx = Tensor<T>.Reuse(ref _gradInput, [n, InFeatures]);
        Gemm.Multiply<T>(gradOutput.Span, false, Weight.Value.Span, false, dx.Span, n, InFeatures, OutFeatures);
        return dx;
    }

    /// <summary>dW += dyᵀ·x and db += Σₙ dy[n, :], without dx: a third of the layer's backward work.</summary>
    public override void BackwardToParameters(Tensor<T> gradOutput) => AccumulateParameterGradients(gradOutput);

    /// <summary>Adds dW and db for <paramref name="gradOutput"/>; returns the batch size N.</summary>
    private int AccumulateParameterGradients(Tensor<T> gradOutput)
    {
        var x = RequireCache(_input, "Linear");
        int n = x.Shape[0];
        ShapeCheck.SameAsOutput(gradOutput, [n, OutFeatures], "Linear");
        var dy = gradOutput.Span;

        // y[n, o] = Σᵢ x[n, i]·W[o, i] + b[o], so
        //   ∂L/∂W[o, i] = Σₙ dy[n, o]·x[n, i]   →  dW (out, in) += dyᵀ (out, N) · x (N, in)
        Gemm.Multiply<T>(dy, true, x.Span, false, Weight.Grad.Span, OutFeatures, InFeatures, n, accumulate: true);

        //   ∂L/∂b[o] = Σₙ dy[n, o]            →  db (out) += column sums of dy
        if (Bias is not null)
        {
            var db = Bias.Grad.Span;
            for (int row = 0; row < n; row++) InPlace.Add(db, dy.Slice(row * OutFeatures, OutFeatures));
        }
        return n;
    }

    /// <summary>The weight as <c>weight</c> and, when present, the bias as <c>bias</c>.</summary>
    public override IEnumerable<(string Name, Parameter<T> Parameter)> NamedParameters()
    {
        yield return ("weight", Weight);
        if (Bias is not null) yield return ("bias", Bias);
    }

    /// <summary>As PyTorch prints it: <c>Linear(in_features=784, out_features=100, bias=True)</c>.</summary>
    public override string ToString() =>
        $"Linear(in_features={InFeatures}, out_features={OutFeatures}, bias={(Bias is not null ? "True" : "False")})";
}

using System.Globalization;
using NormCourse.Tensors;

namespace NormCourse.Layers;

/// <summary>
/// Inverted dropout, PyTorch's <c>nn.Dropout</c> (Srivastava et al. 2014): in training each value is zeroed with
/// probability p and the survivors are scaled by 1/(1 − p), so the expected output equals the input and
/// evaluation mode is the identity. Any shape.
/// </summary>
public sealed class Dropout<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Random _random;
    private Tensor<T>? _mask;        // same shape as the input: 0 (dropped) or 1/(1 − p) (kept)
    private Tensor<T>? _output;
    private Tensor<T>? _gradInput;
    private bool? _masked;           // how the last Forward ran: true in training, false in evaluation; null before any

    /// <summary>The probability p of zeroing each value, in [0, 1).</summary>
    public double P { get; }

    /// <summary>Creates the layer; the masks are drawn from <paramref name="random"/>, so a seeded one reproduces them.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not in [0, 1).</exception>
    public Dropout(double p, Random random)
    {
        // p = 1 would zero everything and scale by 1/0; PyTorch accepts it, but here it is rejected as meaningless.
        if (!(p >= 0 && p < 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, $"Dropout probability must be in [0, 1), got {p}.");
        ArgumentNullException.ThrowIfNull(random);
        P = p;
        _random = random;
    }

    /// <summary>Training: y = x·m with m = 1/(1 − p) with probability 1 − p, else 0, a fresh mask every call. Evaluation: y = x.</summary>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        _masked = IsTraining;
        if (!IsTraining) return input;

        var mask = Tensor<T>.Reuse(ref _mask, input.Shape);
        var m = mask.Span;
        T scale = T.One / T.CreateChecked(1 - P);
        // One draw per value, in row-major order: the same seed gives the same mask.
        for (int i = 0; i < m.Length; i++) m[i] = _random.NextDouble() >= P ? scale : T.Zero;

        var y = Tensor<T>.Reuse(ref _output, input.Shape);
        TensorPrimitives.Multiply(input.Span, m, y.Span);
        return y;
    }

    /// <summary>Training: dx = dy·m with the mask of the last Forward. Evaluation: dx = dy.</summary>
    public override Tensor<T> Backward(Tensor<T> gradOutput)
    {
        if (_masked is null) throw new InvalidOperationException("Dropout.Backward was called before Forward.");
        if (_masked == false) return gradOutput;

        var mask = _mask!;
        ShapeCheck.SameAsOutput(gradOutput, mask.Shape, "Dropout");
        // y = x·m elementwise with m fixed, so ∂y/∂x = m.
        var dx = Tensor<T>.Reuse(ref _gradInput, mask.Shape);
        TensorPrimitives.Multiply(gradOutput.Span, mask.Span, dx.Span);
        return dx;
    }

    /// <summary>As PyTorch prints it: <c>Dropout(p=0.5, inplace=False)</c>.</summary>
    public override string ToString() => $"Dropout(p={P.ToString(CultureInfo.InvariantCulture)}, inplace=False)";
}

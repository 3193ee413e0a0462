using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Normalization;

/// <summary>
/// Root Mean Square Layer Normalization (Zhang &amp; Sennrich 2019): LayerNorm without the re-centering.
/// Each sample is scaled by the root mean square of its last dimensions (D values):
/// <code>
/// r = 1/√((1/D) Σ x² + ε)     x̂ = x·r     y = γ ⊙ x̂
/// </code>
/// One statistic instead of two, and no bias. PyTorch: <c>torch.nn.RMSNorm(normalized_shape, eps=None)</c>, where
/// eps = None means the machine epsilon of the element type (1.19e-7 for float32, 2.22e-16 for float64).
/// </summary>
public sealed class RMSNorm<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _normalizedShape;
    private double[]? _meanSquare, _r, _sumGXhat, _zeros, _sumDy, _sumDyXhat;
    private Tensor<T>? _xhat, _output, _gradInput;
    private int _rows;

    /// <summary>The trailing dimensions each sample is normalized over.</summary>
    public ReadOnlySpan<int> NormalizedShape => _normalizedShape;

    /// <summary>D, the number of values normalized together.</summary>
    public int NormalizedSize { get; }

    /// <summary>ε inside the root: the given value, or the element type's machine epsilon.</summary>
    public double Eps { get; }

    /// <summary>γ, of the normalized shape, initialised to 1; null without elementwise affine.</summary>
    public Parameter<T>? Weight { get; }

    /// <summary>Normalizes over the last dimension, of size <paramref name="normalizedShape"/>.</summary>
    public RMSNorm(int normalizedShape, double? eps = null, bool elementwiseAffine = true)
        : this([normalizedShape], eps, elementwiseAffine) { }

    /// <summary>Normalizes over the last <c>normalizedShape.Length</c> dimensions.</summary>
    /// <param name="normalizedShape">The trailing shape normalized over.</param>
    /// <param name="eps">ε inside the root; null for the machine epsilon of <typeparamref name="T"/>, as PyTorch.</param>
    /// <param name="elementwiseAffine">Whether to learn γ.</param>
    public RMSNorm(int[] normalizedShape, double? eps = null, bool elementwiseAffine = true)
    {
        NormalizedSize = NormalizationChecks.NormalizedSize(normalizedShape);
        _normalizedShape = (int[])normalizedShape.Clone();
        Eps = eps is null ? double.CreateTruncating(T.BitIncrement(T.One) - T.One) : NormalizationChecks.PositiveEps(eps.Value);
        if (elementwiseAffine) Weight = new Parameter<T>(Tensor<T>.Full(T.One, _normalizedShape));
    }

    /// <inheritdoc />
    public override Tensor<T> Forward(Tensor<T> input)
    {
        _rows = NormalizationChecks.TrailingRows(input, _normalizedShape, "RMSNorm");
        int d = NormalizedSize;
        var meanSquare = Scratch.Get(ref _meanSquare, _rows);
        Moments.MeanSquare<T>(input.Span, new ChannelLayout(1, _rows, d), meanSquare);
        NormalizationChecks.FiniteStatistics(this, "row", meanSquare, meanSquare);

        var r = Scratch.Get(ref _r, _rows);
        for (int row = 0; row < _rows; row++) r[row] = 1.0 / Math.Sqrt(meanSquare[row] + Eps);
        var xhat = Tensor<T>.Reuse(ref _xhat, input.Shape);
        var y = Tensor<T>.Reuse(ref _output, input.Shape);
        Kernels.NormalizeRows<T>(input.Span, new ChannelLayout(1, _rows, d), [], r, Weight is null ? [] : Weight.Value.Span, [], xhat.Span, y.Span);
        return y;
    }

    /// <summary>
    /// The backward pass. With g = γ ⊙ dy and ∂r/∂xᵢ = −r³·xᵢ/D:
    /// <code>
    /// dx = r·g − x·r³·Σ(g ⊙ x)/D  =  r·(g − x̂·Σ(g ⊙ x̂)/D)
    /// dγ = Σ_rows dy ⊙ x̂
    /// </code>
    /// LayerNorm's formula without the −Σg term, because nothing was subtracted.
    /// </summary>
    public override Tensor<T> Backward(Tensor<T> gradOutput)
    {
        var xhat = _xhat ?? throw NormalizationChecks.BackwardBeforeForward(this);
        if (!gradOutput.HasShape(xhat.Shape))
            throw new ArgumentException($"{this}: the output gradient has shape {gradOutput.ShapeString}, the output {xhat.ShapeString}.");
        int d = NormalizedSize;
        ReadOnlySpan<T> dy = gradOutput.Span;

        if (Weight is not null)
        {
            var sumDy = Scratch.Get(ref _sumDy, d);
            var sumDyXhat = Scratch.Get(ref _sumDyXhat, d);
            Moments.SumAndDot<T>(dy, xhat.Span, new ChannelLayout(_rows, d, 1), sumDy, sumDyXhat);
            for (int j = 0; j < d; j++) Weight.Grad.Span[j] += T.CreateTruncating(sumDyXhat[j]);
        }

        // dx = r·(g − x̂·Σ(g ⊙ x̂)/D) with g = γ ⊙ dy: the shared backward line with a = 0.
        ReadOnlySpan<T> gamma = Weight is null ? [] : Weight.Value.Span;
        var rows = new ChannelLayout(1, _rows, d);
        var sumG = Scratch.Get(ref _zeros, _rows);
        var sumGXhat = Scratch.Get(ref _sumGXhat, _rows);
        Moments.WeightedSumAndDot(dy, gamma, xhat.Span, rows, sumG, sumGXhat);
        sumG.Clear();
        for (int row = 0; row < _rows; row++) sumGXhat[row] /= d;
        var dx = Tensor<T>.Reuse(ref _gradInput, xhat.Shape);
        Kernels.Backward(dy, gamma, xhat.Span, rows, _r.AsSpan(0, _rows), sumG, sumGXhat, dx.Span);
        return dx;
    }

    /// <inheritdoc />
    public override IEnumerable<(string Name, Parameter<T> Parameter)> NamedParameters()
    {
        if (Weight is not null) yield return ("weight", Weight);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"RMSNorm({Tensor<T>.FormatShape(_normalizedShape)}, eps={Eps:G}, elementwise_affine={(Weight is not null ? "True" : "False")})";
}

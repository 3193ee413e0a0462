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
    private readonly RowNorm<T> _rowNorm = new(centred: false);
    private Tensor<T>? _input;

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
        int rows = NormalizationChecks.TrailingRows(input, _normalizedShape, "RMSNorm");
        var y = _rowNorm.Forward(input, rows, NormalizedSize, Eps, Weight is null ? [] : Weight.Value.Span, []);
        _input = input;
        NormalizationChecks.FiniteStatistics(this, "row", _rowNorm.Spread, _rowNorm.Spread);
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
        var input = _input ?? throw NormalizationChecks.BackwardBeforeForward(this);
        if (!gradOutput.HasShape(input.Shape))
            throw new ArgumentException($"{this}: the output gradient has shape {gradOutput.ShapeString}, the output {input.ShapeString}.");
        return _rowNorm.Backward(input, gradOutput, Weight, null);
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

using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Normalization;

/// <summary>
/// Layer Normalization (Ba, Kiros &amp; Hinton 2016): each sample is normalized over its last dimensions
/// (<see cref="NormalizedShape"/>, D values in all), with no dependence on the rest of the batch:
/// <code>
/// μ = (1/D) Σ x    σ² = (1/D) Σ (x − μ)²    x̂ = (x − μ)/√(σ² + ε)    y = γ ⊙ x̂ + β
/// </code>
/// γ and β have the normalized shape (one per element, not per channel). Training and evaluation are the same.
/// PyTorch: <c>torch.nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True, bias=True)</c>.
/// </summary>
public sealed class LayerNorm<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _normalizedShape;
    private readonly RowNorm<T> _rowNorm = new(centred: true);
    private Tensor<T>? _input;

    /// <summary>The trailing dimensions each sample is normalized over.</summary>
    public ReadOnlySpan<int> NormalizedShape => _normalizedShape;

    /// <summary>D, the number of values normalized together.</summary>
    public int NormalizedSize { get; }

    /// <summary>ε, added to the variance inside the square root.</summary>
    public double Eps { get; }

    /// <summary>γ, of the normalized shape, initialised to 1; null without elementwise affine.</summary>
    public Parameter<T>? Weight { get; }

    /// <summary>β, of the normalized shape, initialised to 0; null without it.</summary>
    public Parameter<T>? Bias { get; }

    /// <summary>Normalizes over the last dimension, of size <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true)
        : this([normalizedShape], eps, elementwiseAffine, bias) { }

    /// <summary>Normalizes over the last <c>normalizedShape.Length</c> dimensions.</summary>
    /// <param name="normalizedShape">The trailing shape normalized over.</param>
    /// <param name="eps">ε, added to the variance inside the root.</param>
    /// <param name="elementwiseAffine">Whether to learn γ (and β, when <paramref name="bias"/>).</param>
    /// <param name="bias">Whether to learn β.</param>
    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true)
    {
        NormalizedSize = NormalizationChecks.NormalizedSize(normalizedShape);
        _normalizedShape = (int[])normalizedShape.Clone();
        Eps = NormalizationChecks.PositiveEps(eps);
        if (elementwiseAffine)
        {
            Weight = new Parameter<T>(Tensor<T>.Full(T.One, _normalizedShape));
            if (bias) Bias = new Parameter<T>(Tensor<T>.Zeros(_normalizedShape));
        }
    }

    /// <inheritdoc />
    public override Tensor<T> Forward(Tensor<T> input)
    {
        int rows = NormalizationChecks.TrailingRows(input, _normalizedShape, "LayerNorm");
        var y = _rowNorm.Forward(input, rows, NormalizedSize, Eps,
            Weight is null ? [] : Weight.Value.Span, Bias is null ? [] : Bias.Value.Span);
        _input = input;
        NormalizationChecks.FiniteStatistics(this, "row", _rowNorm.Mean, _rowNorm.Spread);
        return y;
    }

    /// <summary>
    /// The backward pass: BatchNorm's formula applied along each row, with g = γ ⊙ dy in place of γ·dy
    /// because γ varies along the row (llm.c's <c>layernorm_backward</c>):
    /// <code>
    /// g = γ ⊙ dy
    /// dx = invstd·(g − Σg/D − x̂·Σ(g ⊙ x̂)/D)      (sums along the row)
    /// dγ = Σ_rows dy ⊙ x̂       dβ = Σ_rows dy         (sums down the batch)
    /// </code>
    /// </summary>
    public override Tensor<T> Backward(Tensor<T> gradOutput)
    {
        var input = _input ?? throw NormalizationChecks.BackwardBeforeForward(this);
        if (!gradOutput.HasShape(input.Shape))
            throw new ArgumentException($"{this}: the output gradient has shape {gradOutput.ShapeString}, the output {input.ShapeString}.");
        return _rowNorm.Backward(input, gradOutput, Weight, Bias);
    }

    /// <inheritdoc />
    public override IEnumerable<(string Name, Parameter<T> Parameter)> NamedParameters()
    {
        if (Weight is not null) yield return ("weight", Weight);
        if (Bias is not null) yield return ("bias", Bias);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"LayerNorm({Tensor<T>.FormatShape(_normalizedShape)}, eps={Eps:G}, elementwise_affine={(Weight is not null ? "True" : "False")})";
}

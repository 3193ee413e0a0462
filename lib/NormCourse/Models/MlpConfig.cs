using NormCourse.Probes;

namespace NormCourse.Models;

/// <summary>
/// A multilayer perceptron: dense layers of <paramref name="LayerSizes"/> (input, hidden…, classes); every hidden
/// layer is Linear → [norm] → activation → [dropout] (or Linear → activation → [norm] → [dropout] when the norm goes
/// after); the last layer is a plain Linear producing logits.
/// </summary>
/// <param name="LayerSizes">The widths, input first and classes last, e.g. [784, 100, 100, 100, 10]; at least two.</param>
public sealed record MlpConfig(IReadOnlyList<int> LayerSizes) : ModelConfig
{
    /// <inheritdoc />
    public override Layers.Sequential<T> Build<T>(int seed) => Models.Mlp<T>(this, seed);

    /// <summary>The hidden layers' nonlinearity.</summary>
    public Activation Activation { get; init; } = Activation.ReLU;

    /// <summary>The normalization of each hidden layer.</summary>
    public NormKind Norm { get; init; } = NormKind.None;

    /// <summary>Whether the normalization comes before or after the activation.</summary>
    public NormPlacement Placement { get; init; } = NormPlacement.BeforeActivation;

    /// <summary>The dropout probability after each hidden layer (0: no dropout layer).</summary>
    public double Dropout { get; init; }

    /// <summary>Whether hidden Linear layers have a bias (redundant right before BatchNorm, whose β replaces it).</summary>
    public bool Bias { get; init; } = true;

    /// <summary>The weight initialisation scheme.</summary>
    public InitScheme Init { get; init; } = InitScheme.Default;

    /// <summary>The initialisation scale: σ for <see cref="InitScheme.Normal"/>, a gain for the others.</summary>
    public double InitScale { get; init; } = 1.0;

    /// <summary>The groups of a GroupNorm layer; must divide every hidden width.</summary>
    public int Groups { get; init; } = 4;

    /// <summary>ε of the normalization layers.</summary>
    public double NormEps { get; init; } = 1e-5;

    /// <summary>The running-statistics momentum of BatchNorm (null: cumulative average); Batch Renorm uses its own 0.01.</summary>
    public double? NormMomentum { get; init; } = 0.1;

    /// <summary>
    /// When set, a <see cref="NoisyShiftScale{T}"/> follows every normalization layer ("noisy BN", Santurkar et al. 2018);
    /// with <see cref="NormKind.None"/> it sits where the normalization layer would be (the same noise without BN).
    /// </summary>
    public NoiseSpec? NormNoise { get; init; }

    /// <summary>A short description for legends, e.g. <c>784-100-100-100-10 Sigmoid BatchNorm</c>.</summary>
    public override string ToString() =>
        $"{string.Join("-", LayerSizes)} {Activation} {(Norm == NormKind.None ? "no norm" : $"{Norm} {Placement}")}" +
        (Dropout > 0 ? $" dropout {Dropout}" : "") + (Bias ? "" : " no bias") + $" init {Init}×{InitScale}" + (NormNoise is null ? "" : " noisy");
}

namespace NormCourse.Models;

/// <summary>
/// A LeNet-5-style CNN for 28×28 single-channel images, as in d2l's BatchNorm chapter: Conv(6, 5×5, pad 2) → [norm] →
/// act → AvgPool 2 → Conv(16, 5×5) → [norm] → act → AvgPool 2 → Flatten → Linear 120 → [norm] → act → Linear 84 → [norm]
/// → act → Linear(classes).
/// </summary>
public sealed record LeNetConfig : ModelConfig
{
    /// <inheritdoc />
    public override Layers.Sequential<T> Build<T>(int seed) => Models.LeNet<T>(this, seed);

    /// <summary>None, <see cref="NormKind.BatchNorm"/> (BatchNorm2d after convolutions, BatchNorm1d after dense layers)
    /// or <see cref="NormKind.GroupNorm"/> (GroupNorm everywhere).</summary>
    public NormKind Norm { get; init; } = NormKind.None;

    /// <summary>The nonlinearity (d2l uses sigmoid).</summary>
    public Activation Activation { get; init; } = Activation.Sigmoid;

    /// <summary>The groups of GroupNorm layers: must divide 6, 16, 120 and 84 (1 or 2).</summary>
    public int Groups { get; init; } = 2;

    /// <summary>The number of classes.</summary>
    public int NumClasses { get; init; } = 10;

    /// <summary>Whether convolution and hidden dense layers have a bias.</summary>
    public bool Bias { get; init; } = true;

    /// <summary>The weight initialisation scheme.</summary>
    public InitScheme Init { get; init; } = InitScheme.Default;

    /// <summary>The initialisation scale (see <see cref="InitScheme"/>).</summary>
    public double InitScale { get; init; } = 1.0;

    /// <summary>A short description for legends.</summary>
    public override string ToString() => $"LeNet {Activation} {(Norm == NormKind.None ? "no norm" : Norm.ToString())}";
}

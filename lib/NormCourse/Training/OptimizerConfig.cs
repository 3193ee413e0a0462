using NormCourse.Layers;

namespace NormCourse.Training;

/// <summary>An optimizer as a value, so sweeps can vary its fields; <see cref="Create"/> builds it over a model's parameters.</summary>
/// <param name="Kind">SGD or Adam.</param>
/// <param name="LearningRate">The base learning rate (a schedule multiplies it).</param>
public sealed record OptimizerConfig(OptimizerKind Kind = OptimizerKind.Sgd, double LearningRate = 0.1)
{
    /// <summary>SGD's momentum μ.</summary>
    public double Momentum { get; init; }

    /// <summary>L2 weight decay λ (both optimizers add λθ to the gradient).</summary>
    public double WeightDecay { get; init; }

    /// <summary>SGD with Nesterov momentum.</summary>
    public bool Nesterov { get; init; }

    /// <summary>Adam's β₁.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam's β₂.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Adam's ε.</summary>
    public double Eps { get; init; } = 1e-8;

    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    public Optimizer<T> Create<T>(IEnumerable<Parameter<T>> parameters) where T : unmanaged, IFloatingPointIeee754<T> => Kind switch
    {
        OptimizerKind.Sgd => new Sgd<T>(parameters, LearningRate, Momentum, WeightDecay, Nesterov),
        OptimizerKind.Adam => new Adam<T>(parameters, LearningRate, Beta1, Beta2, Eps, WeightDecay),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown optimizer kind."),
    };

    /// <summary>A short description for legends.</summary>
    public override string ToString() =>
        Kind == OptimizerKind.Sgd ? $"SGD lr={LearningRate}" + (Momentum > 0 ? $" momentum={Momentum}" : "") + (WeightDecay > 0 ? $" wd={WeightDecay}" : "")
                                  : $"Adam lr={LearningRate}" + (WeightDecay > 0 ? $" wd={WeightDecay}" : "");
}

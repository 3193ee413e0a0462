using NormCourse.Layers;

namespace NormCourse.Training;

/// <summary>
/// Updates parameters from their accumulated gradients, as <c>torch.optim.Optimizer</c>:
/// call <see cref="Step"/> after <c>Backward</c>, and zero the gradients before the next one.
/// </summary>
public abstract class Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The parameters this optimizer updates, in the order given.</summary>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>The learning rate used by the next <see cref="Step"/>; a schedule sets it before each step.</summary>
    public double LearningRate { get; set; }

    /// <summary>Holds <paramref name="parameters"/> and the initial learning rate.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate is negative or not finite.</exception>
    protected Optimizer(IEnumerable<Parameter<T>> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!double.IsFinite(learningRate) || learningRate < 0)
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and ≥ 0.");
        Parameters = [.. parameters];
        LearningRate = learningRate;
    }

    /// <summary>Applies one update to every parameter from its current gradient.</summary>
    public abstract void Step();

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        for (int i = 0; i < Parameters.Count; i++) Parameters[i].ZeroGrad();   // indexed: no enumerator on the training path
    }

    /// <summary>Throws when a weight decay or momentum coefficient is outside [0, ∞) or not finite.</summary>
    protected static void RequireNonNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and ≥ 0.");
    }
}

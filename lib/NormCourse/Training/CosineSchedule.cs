namespace NormCourse.Training;

/// <summary>
/// Cosine annealing over <paramref name="TotalSteps"/> updates, as <c>CosineAnnealingLR</c>:
/// factor(t) = m + (1 − m)·(1 + cos(π·min(t, T)/T))/2, with m = <paramref name="MinFactor"/>.
/// </summary>
/// <param name="TotalSteps">T, the updates over which the rate falls to its minimum (&gt; 0).</param>
/// <param name="MinFactor">The final multiplier m (PyTorch's eta_min divided by the base rate).</param>
public sealed record CosineSchedule(int TotalSteps, double MinFactor = 0) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double Factor(int step)
    {
        if (TotalSteps <= 0) throw new InvalidOperationException($"CosineSchedule.TotalSteps must be > 0, got {TotalSteps}.");
        double t = Math.Min(step, TotalSteps);
        return MinFactor + (1 - MinFactor) * (1 + Math.Cos(Math.PI * t / TotalSteps)) / 2;
    }
}

namespace NormCourse.Training;

/// <summary>
/// Decays by <paramref name="Gamma"/> every <paramref name="StepSize"/> updates, as <c>StepLR</c>:
/// factor(t) = γ^⌊t / stepSize⌋.
/// </summary>
/// <param name="StepSize">Updates between decays (&gt; 0).</param>
/// <param name="Gamma">The multiplier applied at each decay.</param>
public sealed record StepSchedule(int StepSize, double Gamma = 0.1) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double Factor(int step)
    {
        if (StepSize <= 0) throw new InvalidOperationException($"StepSchedule.StepSize must be > 0, got {StepSize}.");
        return Math.Pow(Gamma, step / StepSize);
    }
}

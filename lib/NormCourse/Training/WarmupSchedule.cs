namespace NormCourse.Training;

/// <summary>
/// A linear warm-up in front of another schedule: factor(t) = Then(t)·(t + 1)/W for t &lt; W, then Then(t).
/// The first update uses 1/W of the rate rather than zero, so no step is wasted.
/// </summary>
/// <param name="WarmupSteps">W, the updates over which the rate ramps up (&gt; 0).</param>
/// <param name="Then">The schedule that the warm-up scales (evaluated at the same t, so a cosine's T counts the warm-up).</param>
public sealed record WarmupSchedule(int WarmupSteps, LearningRateSchedule Then) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double Factor(int step)
    {
        if (WarmupSteps <= 0) throw new InvalidOperationException($"WarmupSchedule.WarmupSteps must be > 0, got {WarmupSteps}.");
        double ramp = step < WarmupSteps ? (step + 1.0) / WarmupSteps : 1.0;
        return ramp * Then.Factor(step);
    }
}

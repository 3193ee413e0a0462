namespace NormCourse.Training;

/// <summary>
/// A learning-rate schedule as a multiplier of the base learning rate, as PyTorch's <c>lr_scheduler</c>s:
/// the rate used by update t (counted from 0) is base · <see cref="Factor"/>(t).
/// Records, so a schedule is part of a configuration that compares and prints by value.
/// </summary>
public abstract record LearningRateSchedule
{
    /// <summary>The multiplier of the base learning rate for update <paramref name="step"/> (from 0).</summary>
    public abstract double Factor(int step);

    /// <summary>The learning rate for update <paramref name="step"/>: <paramref name="baseLearningRate"/> · Factor(step).</summary>
    public double LearningRate(double baseLearningRate, int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return baseLearningRate * Factor(step);
    }
}

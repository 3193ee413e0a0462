namespace NormCourse.Training;

/// <summary>The base learning rate at every step (factor 1).</summary>
public sealed record ConstantSchedule : LearningRateSchedule
{
    /// <inheritdoc />
    public override double Factor(int step) => 1.0;
}

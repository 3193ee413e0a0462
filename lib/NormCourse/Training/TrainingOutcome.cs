namespace NormCourse.Training;

/// <summary>How a training run ended.</summary>
public enum TrainingOutcome
{
    /// <summary>Every requested update was made.</summary>
    Completed,

    /// <summary>The loss became NaN or infinite; the run stopped at that step, which is recorded.</summary>
    Diverged,

    /// <summary>The run was cancelled through its <see cref="CancellationToken"/>; the history holds what was done.</summary>
    Cancelled,
}

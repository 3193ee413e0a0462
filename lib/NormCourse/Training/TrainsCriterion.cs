namespace NormCourse.Training;

/// <summary>
/// When a run counts as "training" in a learning-rate sweep: it did not diverge (no NaN or infinite loss) and, after
/// exactly <paramref name="Steps"/> updates, its held-out accuracy is at least <paramref name="MinTestAccuracy"/>.
/// The largest learning rate that still trains is the largest swept rate whose run meets this criterion.
/// </summary>
/// <param name="Steps">The number of updates every run of the sweep makes.</param>
/// <param name="MinTestAccuracy">The smallest final test accuracy, in [0, 1], that counts as training.</param>
public sealed record TrainsCriterion(int Steps, double MinTestAccuracy)
{
    /// <summary>
    /// Lesson 03's criterion on Ioffe &amp; Szegedy's §4.1 network (plain SGD, batch 60, embedded MNIST): test accuracy
    /// ≥ 50 % after 300 steps. Chosen so that the plain network passes at moderate rates (it trains somewhere) and
    /// fails at large ones; the lesson and its claim test both use it.
    /// </summary>
    public static TrainsCriterion Lesson03 { get; } = new(300, 0.5);

    /// <summary>
    /// True when <paramref name="history"/> did not diverge, its last evaluation came after exactly <see cref="Steps"/>
    /// updates and that evaluation's accuracy is at least <see cref="MinTestAccuracy"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The run completed with a different number of updates than <see cref="Steps"/>, or was never evaluated.</exception>
    public bool IsMetBy(TrainingHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        Validate();
        if (history.Diverged) return false;
        if (history.Evaluations.Count == 0)
            throw new ArgumentException("The run has no held-out evaluation; train with evaluation at the end.", nameof(history));
        int evaluatedAt = history.Evaluations[^1].Step;
        if (evaluatedAt != Steps)
            throw new ArgumentException($"The criterion is about the accuracy after {Steps} updates, but the run's last evaluation is after {evaluatedAt}.", nameof(history));
        return history.FinalTestAccuracy >= MinTestAccuracy;
    }

    /// <summary>
    /// The largest learning rate among <paramref name="runs"/> whose run meets the criterion, or null when none does.
    /// A rate that fails does not hide a larger one that trains: this is the maximum over all training runs.
    /// </summary>
    public double? LargestTrainingRate(IEnumerable<(double LearningRate, TrainingHistory History)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        double? largest = null;
        foreach (var (rate, history) in runs)
            if (IsMetBy(history) && (largest is null || rate > largest)) largest = rate;
        return largest;
    }

    private void Validate()
    {
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Steps must be ≥ 1.");
        if (!(MinTestAccuracy >= 0 && MinTestAccuracy <= 1))
            throw new ArgumentOutOfRangeException(nameof(MinTestAccuracy), MinTestAccuracy, "MinTestAccuracy must be in [0, 1].");
    }
}

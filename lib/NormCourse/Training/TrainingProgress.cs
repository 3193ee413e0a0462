namespace NormCourse.Training;

/// <summary>What a progress display shows after each update (reported through <see cref="IProgress{T}"/>).</summary>
/// <param name="Step">Updates done so far.</param>
/// <param name="TotalSteps">Updates requested.</param>
/// <param name="Loss">The last minibatch loss.</param>
/// <param name="TestAccuracy">The last held-out accuracy, or null before the first evaluation.</param>
/// <param name="Outcome">Set when the run has ended (completed, diverged or cancelled); null while it runs.</param>
public readonly record struct TrainingProgress(int Step, int TotalSteps, double Loss, double? TestAccuracy, TrainingOutcome? Outcome);

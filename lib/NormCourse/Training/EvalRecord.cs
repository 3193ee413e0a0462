namespace NormCourse.Training;

/// <summary>An evaluation on the held-out set, in evaluation mode.</summary>
/// <param name="Step">The number of updates done before this evaluation (0: the initial network).</param>
/// <param name="Loss">Mean cross-entropy over the held-out set.</param>
/// <param name="Accuracy">Fraction of the held-out set classified correctly, in [0, 1].</param>
/// <param name="ElapsedSeconds">Wall-clock seconds since training started (differs between identical runs).</param>
public readonly record struct EvalRecord(int Step, double Loss, double Accuracy, double ElapsedSeconds);

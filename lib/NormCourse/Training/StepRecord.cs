namespace NormCourse.Training;

/// <summary>One training update: its minibatch loss and accuracy before the update, the rate it used, and the time so far.</summary>
/// <param name="Step">The update's index, from 0.</param>
/// <param name="Loss">Mean cross-entropy of the minibatch (NaN or ∞ when the run diverged here).</param>
/// <param name="Accuracy">Fraction of the minibatch classified correctly, in [0, 1].</param>
/// <param name="LearningRate">The learning rate this update used.</param>
/// <param name="ElapsedSeconds">Wall-clock seconds since training started, after this update. Not part of the run's numbers:
/// it differs between identical runs.</param>
public readonly record struct StepRecord(int Step, double Loss, double Accuracy, double LearningRate, double ElapsedSeconds);

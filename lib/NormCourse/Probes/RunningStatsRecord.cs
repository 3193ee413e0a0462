namespace NormCourse.Probes;

/// <summary>
/// A normalization layer's minibatch statistics next to its running estimates at one update: the statistics it
/// normalizes with in training against those it will use in evaluation.
/// </summary>
/// <param name="Step">The update's index.</param>
/// <param name="Layer">The normalization layer's index.</param>
/// <param name="BatchMean">Per unit: the mean of the layer's input over the minibatch.</param>
/// <param name="BatchVar">Per unit: the unbiased variance of the layer's input over the minibatch.</param>
/// <param name="RunningMean">Per unit: the running mean before this update's forward pass.</param>
/// <param name="RunningVar">Per unit: the running variance before this update's forward pass.</param>
public sealed record RunningStatsRecord(int Step, int Layer, double[] BatchMean, double[] BatchVar, double[] RunningMean, double[] RunningVar)
{
    /// <summary>mean over units of |batch mean − running mean|.</summary>
    public double MeanGap => BatchMean.Zip(RunningMean, (b, r) => Math.Abs(b - r)).Average();

    /// <summary>mean over units of |batch variance − running variance|.</summary>
    public double VarGap => BatchVar.Zip(RunningVar, (b, r) => Math.Abs(b - r)).Average();
}

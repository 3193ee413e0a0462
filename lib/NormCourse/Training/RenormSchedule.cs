namespace NormCourse.Training;

/// <summary>
/// Batch Renormalization's relaxation of the clipping bounds (Ioffe 2017 §4): r_max = 1 and d_max = 0 (plain BatchNorm)
/// for the first <paramref name="WarmupSteps"/> updates, then linearly up to <paramref name="FinalRMax"/> at update
/// <paramref name="RMaxReachedAt"/> and to <paramref name="FinalDMax"/> at <paramref name="DMaxReachedAt"/>. The paper's
/// values are the defaults (5k, 3 at 40k, 5 at 25k); <see cref="Scaled"/> compresses them for short runs. The trainer
/// sets these bounds on every Batch Renorm layer before each update.
/// </summary>
public sealed record RenormSchedule(int WarmupSteps = 5000, double FinalRMax = 3, int RMaxReachedAt = 40000, double FinalDMax = 5, int DMaxReachedAt = 25000)
{
    /// <summary>r_max for update <paramref name="step"/>.</summary>
    public double RMax(int step) => Ramp(step, 1, FinalRMax, RMaxReachedAt);

    /// <summary>d_max for update <paramref name="step"/>.</summary>
    public double DMax(int step) => Ramp(step, 0, FinalDMax, DMaxReachedAt);

    /// <summary>The same shape with every step count multiplied by <paramref name="factor"/> (e.g. 0.01 for a 400-step run).</summary>
    public RenormSchedule Scaled(double factor) => this with
    {
        WarmupSteps = (int)Math.Round(WarmupSteps * factor),
        RMaxReachedAt = (int)Math.Round(RMaxReachedAt * factor),
        DMaxReachedAt = (int)Math.Round(DMaxReachedAt * factor),
    };

    private double Ramp(int step, double start, double end, int reachedAt)
    {
        if (step <= WarmupSteps) return start;
        if (step >= reachedAt) return end;
        return start + (end - start) * (step - WarmupSteps) / (reachedAt - WarmupSteps);
    }
}

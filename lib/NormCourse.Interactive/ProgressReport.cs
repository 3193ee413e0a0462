namespace NormCourse.Interactive;

/// <summary>One progress update: how far along (0 to 1) and a short message such as "step 120, loss 0.41".</summary>
/// <param name="Fraction">Completed fraction, clamped to [0, 1] when shown.</param>
/// <param name="Message">What to show beside the bar.</param>
public sealed record ProgressReport(double Fraction, string Message)
{
    /// <summary>The completed fraction clamped to [0, 1] (NaN counts as 0).</summary>
    public double Fraction { get; init; } = double.IsNaN(Fraction) ? 0 : Math.Clamp(Fraction, 0, 1);
}

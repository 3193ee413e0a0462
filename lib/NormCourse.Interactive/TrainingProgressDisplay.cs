using System.Globalization;
using NormCourse.Training;

namespace NormCourse.Interactive;

/// <summary>
/// Shows the trainer's <see cref="TrainingProgress"/> on a <see cref="ProgressReport"/> display: the bar is the
/// fraction of steps done, the message the step, the loss and the latest test accuracy.
/// </summary>
public sealed class TrainingProgressDisplay(IProgress<ProgressReport> display) : IProgress<TrainingProgress>
{
    /// <summary>A display that fits where the code runs (<see cref="ProgressDisplay.Create"/>).</summary>
    public static TrainingProgressDisplay Create() => new(ProgressDisplay.Create());

    /// <inheritdoc />
    public void Report(TrainingProgress value) => display.Report(ToReport(value));

    /// <summary>The report shown for one progress update.</summary>
    public static ProgressReport ToReport(TrainingProgress value)
    {
        var c = CultureInfo.InvariantCulture;
        string accuracy = value.TestAccuracy is { } a ? string.Create(c, $", test accuracy {a:P1}") : "";
        string outcome = value.Outcome is { } o ? $" — {o}" : "";
        double fraction = value.TotalSteps > 0 ? (double)value.Step / value.TotalSteps : 0;
        return new ProgressReport(fraction, string.Create(c, $"step {value.Step}/{value.TotalSteps}, loss {value.Loss:F4}{accuracy}{outcome}"));
    }
}

using System.Globalization;
using NormCourse.Training;
using Spectre.Console;

namespace NormCourse.Charts;

/// <summary>
/// Shows a training run's <see cref="TrainingProgress"/> on a Spectre.Console progress task: the bar follows the
/// updates and the description carries the latest loss and test accuracy.
/// </summary>
public sealed class SpectreTrainingProgress : IProgress<TrainingProgress>
{
    private readonly ProgressTask _task;
    private readonly string _label;

    /// <summary>Reports into <paramref name="task"/>, whose description starts with <paramref name="label"/>.</summary>
    public SpectreTrainingProgress(ProgressTask task, string label)
    {
        ArgumentNullException.ThrowIfNull(task);
        _task = task;
        _label = label;
    }

    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        _task.MaxValue = Math.Max(1, value.TotalSteps);
        _task.Value = value.Step;
        string accuracy = value.TestAccuracy is double a ? $", test acc {(100 * a).ToString("F1", CultureInfo.InvariantCulture)}%" : "";
        string end = value.Outcome switch
        {
            TrainingOutcome.Diverged => " [red]diverged[/]",
            TrainingOutcome.Cancelled => " [yellow]cancelled[/]",
            _ => "",
        };
        _task.Description = $"{Markup.Escape(_label)}: loss {value.Loss.ToString("F3", CultureInfo.InvariantCulture)}{accuracy}{end}";
        if (value.Outcome is not null) _task.StopTask();
    }
}

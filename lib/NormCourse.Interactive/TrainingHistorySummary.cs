using System.Globalization;
using System.Net;
using NormCourse.Charts;
using NormCourse.Training;
using Plotly.NET;

namespace NormCourse.Interactive;

/// <summary>
/// How a <see cref="TrainingHistory"/> shows in a notebook: one line of what the run came to (outcome, steps,
/// final loss, final and best test accuracy, the step it diverged at) above its test-accuracy curve.
/// </summary>
public static class TrainingHistorySummary
{
    /// <summary>The summary as one line of text.</summary>
    public static string ToPlainText(TrainingHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var c = CultureInfo.InvariantCulture;
        string diverged = history.DivergedAtStep is { } step ? string.Create(c, $", diverged at step {step}") : "";
        return string.Create(c,
            $"TrainingHistory: {history.Outcome}{diverged}, {history.Steps.Count} steps, final train loss {history.FinalTrainLoss:F4}, " +
            $"test accuracy final {history.FinalTestAccuracy:P2}, best {history.BestTestAccuracy:P2} ({history.Evaluations.Count} evaluations)");
    }

    /// <summary>The summary line and, when the run was evaluated, its test-accuracy chart.</summary>
    public static string ToHtml(TrainingHistory history) => ToHtml(history, new ChartHtml());

    /// <summary>The summary with the chart written by <paramref name="charts"/>.</summary>
    public static string ToHtml(TrainingHistory history, ChartHtml charts)
    {
        string summary = $"<div class=\"normcourse-history\"><p>{WebUtility.HtmlEncode(ToPlainText(history))}</p>";
        if (history.Evaluations.Count == 0) return summary + "</div>";
        GenericChart chart = TrainingCurvesChart.Create([("this run", history)]);
        return summary + charts.ToHtml(chart) + "</div>";
    }
}

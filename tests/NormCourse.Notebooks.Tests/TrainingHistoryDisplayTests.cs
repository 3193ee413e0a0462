using NormCourse.Interactive;
using NormCourse.Training;

namespace NormCourse.Notebooks.Tests;

public class TrainingHistoryDisplayTests
{
    private static TrainingHistory Diverged() => new(
        [new StepRecord(1, 2.30, 0.10, 0.1, 0.01), new StepRecord(2, double.NaN, 0.10, 0.1, 0.02)],
        [new EvalRecord(0, 2.31, 0.095, 0), new EvalRecord(1, 2.20, 0.25, 0.01)],
        TrainingOutcome.Diverged, 2);

    [Fact]
    public void TheSummarySaysWhatTheRunCameTo()
    {
        string text = TrainingHistorySummary.ToPlainText(Diverged());
        Assert.Contains("Diverged, diverged at step 2", text);
        Assert.Contains("2 steps", text);
        Assert.Contains("best 25.00 %", text);
        Assert.Contains("final 25.00 %", text);
    }

    [Fact]
    public void TheHtmlHoldsTheSummaryAndAChartOnlyWhenThereAreEvaluations()
    {
        string html = TrainingHistorySummary.ToHtml(Diverged());
        Assert.Contains("diverged at step 2", html);
        Assert.Contains("this run", html);
        string unevaluated = TrainingHistorySummary.ToHtml(new TrainingHistory([new StepRecord(1, 1.0, 0.5, 0.1, 0)], [], TrainingOutcome.Completed, null));
        Assert.DoesNotContain("<script", unevaluated);
    }

    [Fact]
    public void TrainingProgressBecomesABarAndAMessage()
    {
        var report = TrainingProgressDisplay.ToReport(new TrainingProgress(30, 120, 0.5, 0.875, null));
        Assert.Equal(0.25, report.Fraction);
        Assert.Equal("step 30/120, loss 0.5000, test accuracy 87.5 %", report.Message);
        var shown = new List<ProgressReport>();
        new TrainingProgressDisplay(new Progress<ProgressReport>(shown.Add)).Report(new TrainingProgress(120, 120, 0.1, null, TrainingOutcome.Completed));
        SpinWait.SpinUntil(() => shown.Count == 1, 2000);
        Assert.Equal(1.0, Assert.Single(shown).Fraction);
    }
}

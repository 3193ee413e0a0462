using NormCourse.Charts;
using NormCourse.Training;
using Spectre.Console;

namespace NormCourse.Tests.Charts;

public class ProgressTests
{
    [Fact]
    public void TheSpectreReporterMovesTheBarAndShowsLossAndAccuracy()
    {
        var task = new ProgressTask(0, "run", 100, autoStart: true);
        var reporter = new SpectreTrainingProgress(task, "BN [lr 1]");
        reporter.Report(new TrainingProgress(30, 200, 0.51234, 0.875, null));
        Assert.Equal(200, task.MaxValue);
        Assert.Equal(30, task.Value);
        Assert.Equal("BN [[lr 1]]: loss 0.512, test acc 87.5%", task.Description);
        reporter.Report(new TrainingProgress(31, 200, double.NaN, 0.875, TrainingOutcome.Diverged));
        Assert.EndsWith("[red]diverged[/]", task.Description);
        Assert.True(task.IsFinished);
    }

    [Fact]
    public void WithoutAnInteractiveTerminalTheWorkRunsSilently()
    {
        // The test host redirects standard output, so there is no terminal to draw on.
        Assert.False(TerminalProgress.IsInteractive);
        IProgress<TrainingProgress>? given = new Progress<TrainingProgress>();
        int result = TerminalProgress.Run("silent", p => { given = p; return 42; });
        Assert.Equal(42, result);
        Assert.Null(given);
    }
}

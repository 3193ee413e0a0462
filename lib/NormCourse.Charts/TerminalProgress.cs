using Spectre.Console;
using NormCourse.Training;

namespace NormCourse.Charts;

/// <summary>
/// A progress bar for scripts run in a terminal. When the output is not an interactive terminal (redirected to a
/// file, a test, a CI log) the work runs with no progress reporting, so logs get no thousands of lines.
/// </summary>
public static class TerminalProgress
{
    /// <summary>True when a live progress bar can be drawn.</summary>
    public static bool IsInteractive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs one training <paramref name="work"/> under a progress bar labelled <paramref name="label"/>; the work gets the reporter (null when silent).</summary>
    public static TResult Run<TResult>(string label, Func<IProgress<TrainingProgress>?, TResult> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!IsInteractive) return work(null);
        return AnsiConsole.Progress().AutoClear(false).Start(ctx => work(new SpectreTrainingProgress(ctx.AddTask(Markup.Escape(label)), label)));
    }

    /// <summary>Runs a sweep's <paramref name="work"/> under a bar counting finished runs out of <paramref name="total"/>.</summary>
    public static TResult RunSweep<TResult>(string label, int total, Func<IProgress<int>?, TResult> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!IsInteractive) return work(null);
        return AnsiConsole.Progress().AutoClear(false).Start(ctx =>
        {
            var task = ctx.AddTask(Markup.Escape(label), maxValue: Math.Max(1, total));
            return work(new RunCounter(task));
        });
    }

    // Progress<T> would post each report to the thread pool, out of order; setting the value directly keeps it exact.
    private sealed class RunCounter(ProgressTask task) : IProgress<int>
    {
        public void Report(int value) => task.Value = value;
    }
}

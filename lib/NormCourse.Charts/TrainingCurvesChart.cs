using Plotly.NET;
using NormCourse.Experiments;
using NormCourse.Training;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace NormCourse.Charts;

/// <summary>
/// Training curves of several runs on one chart — loss, accuracy or learning rate against the update count, one line per
/// run named by its configuration (Ioffe &amp; Szegedy Fig. 1a is the test-accuracy version). A diverged run's line stops
/// where it diverged and its legend says so.
/// </summary>
public static class TrainingCurvesChart
{
    /// <summary>
    /// One line per run. Per-update metrics can be smoothed by a trailing moving average over
    /// <paramref name="smoothing"/> updates (1: none), since minibatch losses are noisy.
    /// </summary>
    public static GenericChart Create(IEnumerable<(string Label, TrainingHistory History)> runs, CurveMetric metric = CurveMetric.TestAccuracy,
        string? title = null, int smoothing = 1)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentOutOfRangeException.ThrowIfLessThan(smoothing, 1);
        var lines = runs.Select(run =>
        {
            var (x, y) = ChartStyle.Finite(Points(run.History, metric, smoothing));
            string name = run.History.DivergedAtStep is int step ? $"{run.Label} (diverged at step {step})" : run.Label;
            return CSharpChart.Line<double, double, string>(x: x, y: y, Name: name, ShowLegend: true);
        }).ToArray();
        if (lines.Length == 0) throw new ArgumentException("No runs to plot.", nameof(runs));
        var (defaultTitle, yTitle) = Titles(metric);
        return ChartStyle.Finish(CSharpChart.Combine(lines), title ?? defaultTitle, "Step (updates)", yTitle, logX: false);
    }

    /// <summary>One line per run of a sweep, named by its axis values.</summary>
    public static GenericChart Create(SweepResults results, CurveMetric metric = CurveMetric.TestAccuracy, string? title = null, int smoothing = 1)
    {
        ArgumentNullException.ThrowIfNull(results);
        return Create(results.Runs.Select(r => (r.Label, r.History)), metric, title, smoothing);
    }

    private static IEnumerable<(double X, double Y)> Points(TrainingHistory h, CurveMetric metric, int smoothing) => metric switch
    {
        CurveMetric.TestLoss => h.Evaluations.Select(e => ((double)e.Step, e.Loss)),
        CurveMetric.TestAccuracy => h.Evaluations.Select(e => ((double)e.Step, 100 * e.Accuracy)),
        CurveMetric.LearningRate => h.Steps.Select(s => ((double)s.Step, s.LearningRate)),
        CurveMetric.TrainAccuracy => Smooth(h.Steps.Select(s => ((double)s.Step, 100 * s.Accuracy)).ToArray(), smoothing),
        _ => Smooth(h.Steps.Select(s => ((double)s.Step, s.Loss)).ToArray(), smoothing),
    };

    private static IEnumerable<(double X, double Y)> Smooth((double X, double Y)[] points, int window)
    {
        double sum = 0;
        for (int i = 0; i < points.Length; i++)
        {
            sum += points[i].Y;
            if (i >= window) sum -= points[i - window].Y;
            yield return (points[i].X, sum / Math.Min(i + 1, window));
        }
    }

    private static (string Title, string YTitle) Titles(CurveMetric metric) => metric switch
    {
        CurveMetric.TrainLoss => ("Training loss", "Minibatch cross-entropy (nats)"),
        CurveMetric.TrainAccuracy => ("Training accuracy", "Minibatch accuracy (%)"),
        CurveMetric.TestLoss => ("Test loss", "Held-out cross-entropy (nats)"),
        CurveMetric.LearningRate => ("Learning rate", "Learning rate (per update)"),
        _ => ("Test accuracy", "Held-out accuracy (%)"),
    };
}

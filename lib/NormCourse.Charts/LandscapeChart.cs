using Plotly.NET;
using NormCourse.Probes;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace NormCourse.Charts;

/// <summary>
/// Santurkar et al. 2018 Fig. 4: the loss landscape along the gradient over training, one shaded band (or line) per run —
/// with BN the bands are narrow (a smoother landscape), without they are wide.
/// </summary>
public static class LandscapeChart
{
    private static readonly string[] BandColors = ["rgba(31, 119, 180, 0.3)", "rgba(255, 127, 14, 0.3)", "rgba(44, 160, 44, 0.3)", "rgba(214, 39, 40, 0.3)"];

    /// <summary>One band (loss variation, gradient predictiveness) or line (β-smoothness) per run, against the step.</summary>
    public static GenericChart Create(IEnumerable<(string Label, LandscapeProbe Probe)> runs, LandscapeMeasure measure = LandscapeMeasure.LossVariation,
        string? title = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var traces = runs.Select((run, k) =>
        {
            var records = run.Probe.Records.OrderBy(r => r.Step).ToArray();
            if (records.Length == 0) throw new ArgumentException($"The probe of '{run.Label}' recorded nothing.", nameof(runs));
            double[] steps = [.. records.Select(r => (double)r.Step)];
            if (measure == LandscapeMeasure.BetaSmoothness)
            {
                var (x, y) = ChartStyle.Finite(records.Select(r => ((double)r.Step, r.BetaSmoothness)));
                return CSharpChart.Line<double, double, string>(x: x, y: y, Name: run.Label, ShowLegend: true, ShowMarkers: true);
            }
            bool loss = measure == LandscapeMeasure.LossVariation;
            double[] lower = [.. records.Select(r => loss ? r.Losses.Min() : r.GradientChanges.Min())];
            double[] upper = [.. records.Select(r => loss ? r.Losses.Max() : r.GradientChanges.Max())];
            double[] middle = [.. records.Select(r => loss ? r.Loss : (r.GradientChanges.Min() + r.GradientChanges.Max()) / 2)];
            return CSharpChart.Range<double, double, string>(x: steps, y: middle, upper: upper, lower: lower, mode: StyleParam.Mode.Lines,
                Name: loss ? $"{run.Label}: L(θ)" : $"{run.Label}: midpoint", UpperName: $"{run.Label}: max over η", LowerName: $"{run.Label}: min over η",
                RangeColor: Color.fromString(BandColors[k % BandColors.Length]));
        }).ToArray();
        if (traces.Length == 0) throw new ArgumentException("No runs to plot.", nameof(runs));
        var (defaultTitle, yTitle) = measure switch
        {
            LandscapeMeasure.LossVariation => ("Loss landscape along the gradient", "L(θ − ηg) (nats)"),
            LandscapeMeasure.GradientPredictiveness => ("Gradient predictiveness", "‖∇L(θ) − ∇L(θ − ηg)‖₂"),
            _ => ("Effective β-smoothness", "max over η of ‖Δ∇L‖₂ / ‖ηg‖₂"),
        };
        return ChartStyle.Finish(CSharpChart.Combine(traces), title ?? defaultTitle, "Step (updates)", yTitle);
    }
}

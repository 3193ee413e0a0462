using Plotly.NET;
using NormCourse.Probes;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace NormCourse.Charts;

/// <summary>
/// A probe's scalar measurements against the step, one line per layer or parameter: Karpathy's update-to-data ratios and
/// gradient norms, saturation, the batch-vs-running statistics gap, γ and β over training, and internal covariate shift.
/// </summary>
public static class ProbeTimelineChart
{
    /// <summary>log₁₀ of each parameter's update-to-data ratio (Karpathy's rule of thumb: around −3).</summary>
    public static GenericChart UpdateToData(GradientProbe probe, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return Lines(probe.Records.GroupBy(r => r.Parameter).Select(g => (g.Key, g.Select(r => ((double)r.Step, Math.Log10(r.UpdateToData))))),
            title ?? "Update-to-data ratio per parameter", "log₁₀(std(Δθ) / std(θ))");
    }

    /// <summary>Each parameter's gradient norm ‖∇θ‖₂.</summary>
    public static GenericChart GradientNorms(GradientProbe probe, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return Lines(probe.Records.GroupBy(r => r.Parameter).Select(g => (g.Key, g.Select(r => ((double)r.Step, r.GradNorm)))),
            title ?? "Gradient norm per parameter", "‖∇θ‖₂");
    }

    /// <summary>The saturated (or, for ReLU, dead) percentage of each activation layer.</summary>
    public static GenericChart Saturation(SaturationProbe probe, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return Lines(probe.Records.GroupBy(r => r.Layer).Select(g => ($"layer {g.Key} ({probe.Layers[g.Key]})", g.Select(r => ((double)r.Step, 100 * r.Fraction)))),
            title ?? "Saturated units per layer", "Saturated units (%)");
    }

    /// <summary>Each normalization layer's mean |batch mean − running mean| and mean |batch var − running var|.</summary>
    public static GenericChart RunningStatsGap(RunningStatsProbe probe, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var byLayer = probe.Records.GroupBy(r => r.Layer).ToArray();
        return Lines(byLayer.Select(g => ($"layer {g.Key}: mean gap", g.Select(r => ((double)r.Step, r.MeanGap))))
                .Concat(byLayer.Select(g => ($"layer {g.Key}: variance gap", g.Select(r => ((double)r.Step, r.VarGap))))),
            title ?? "Batch vs running statistics", "Mean absolute gap over units");
    }

    /// <summary>The mean of each normalization parameter (γ: <c>weight</c>, β: <c>bias</c>) over its units.</summary>
    public static GenericChart NormParameters(NormParameterProbe probe, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return Lines(probe.Records.GroupBy(r => r.Parameter).Select(g => ($"{g.Key} (mean)", g.Select(r => ((double)r.Step, r.Mean)))),
            title ?? "γ and β over training", "Mean over units");
    }

    /// <summary>Santurkar et al.'s internal covariate shift per layer: ‖G − G′‖₂, or cos(G, G′) when <paramref name="cosine"/>.</summary>
    public static GenericChart CovariateShift(CovariateShiftProbe probe, bool cosine = false, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return Lines(probe.Records.GroupBy(r => r.Layer).Select(g => ($"layer {g.Key}", g.Select(r => ((double)r.Step, cosine ? r.Cosine : r.Difference)))),
            title ?? "Internal covariate shift per layer", cosine ? "cos(G, G′)" : "‖G − G′‖₂");
    }

    private static GenericChart Lines(IEnumerable<(string Name, IEnumerable<(double X, double Y)> Points)> series, string title, string yTitle)
    {
        var lines = series.Select(s =>
        {
            var (x, y) = ChartStyle.Finite(s.Points);
            return CSharpChart.Line<double, double, string>(x: x, y: y, Name: s.Name, ShowLegend: true);
        }).ToArray();
        if (lines.Length == 0) throw new ArgumentException("The probe recorded nothing to plot.");
        return ChartStyle.Finish(CSharpChart.Combine(lines), title, "Step (updates)", yTitle);
    }
}

using Plotly.NET;
using NormCourse.Probes;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace NormCourse.Charts;

/// <summary>
/// Percentiles of a unit's input over training — Ioffe &amp; Szegedy 2015 Fig. 1(b, c). With three percentiles
/// (15, 50, 85) the outer two bound a shaded band around the middle line; otherwise one line per percentile.
/// </summary>
public static class PercentileBandsChart
{
    /// <summary>The percentiles that <paramref name="probe"/> recorded for <paramref name="unit"/>.</summary>
    public static GenericChart Create(PercentileProbe probe, int unit, string? title = null, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return Create(probe.Records, probe.Percentiles, unit, title ?? $"Unit {unit} of layer {probe.Layer}: input percentiles", label);
    }

    /// <summary>The percentiles in <paramref name="records"/> for <paramref name="unit"/>; <paramref name="label"/> prefixes the legend.</summary>
    public static GenericChart Create(IReadOnlyList<PercentileRecord> records, IReadOnlyList<double> percentiles, int unit, string title, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(percentiles);
        return ChartStyle.Finish(Traces(records, percentiles, unit, label), title, "Step (updates)", "Input value");
    }

    /// <summary>
    /// Several runs side by side (with and without BN, as the paper's two panels), each panel titled by its label,
    /// sharing the unit and the percentiles.
    /// </summary>
    public static GenericChart Compare(IEnumerable<(string Label, PercentileProbe Probe)> runs, int unit, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var list = runs.ToArray();
        if (list.Length == 0) throw new ArgumentException("No runs to compare.", nameof(runs));
        var panels = list.Select(r => Traces(r.Probe.Records, r.Probe.Percentiles, unit, r.Label)).ToArray();
        var grid = CSharpChart.Grid(panels, 1, panels.Length, SubPlotTitles: list.Select(r => r.Label).ToArray());
        return ChartStyle.Finish(grid, title ?? $"Input percentiles of unit {unit}", "Step (updates)", "Input value");
    }

    private static GenericChart Traces(IReadOnlyList<PercentileRecord> records, IReadOnlyList<double> percentiles, int unit, string? label)
    {
        var mine = records.Where(r => r.Unit == unit).OrderBy(r => r.Step).ToArray();
        if (mine.Length == 0) throw new ArgumentException($"No records for unit {unit}.", nameof(records));
        double[] steps = [.. mine.Select(r => (double)r.Step)];
        double[] Column(int k) => [.. mine.Select(r => r.Values[k])];
        string Name(int k) => (label is null ? "" : label + ": ") + ChartStyle.Ordinal(percentiles[k]) + " percentile";
        if (percentiles.Count == 3)
            return CSharpChart.Range<double, double, string>(x: steps, y: Column(1), upper: Column(2), lower: Column(0),
                mode: StyleParam.Mode.Lines, Name: Name(1), UpperName: Name(2), LowerName: Name(0));
        return CSharpChart.Combine(Enumerable.Range(0, percentiles.Count)
            .Select(k => CSharpChart.Line<double, double, string>(x: steps, y: Column(k), Name: Name(k), ShowLegend: true)));
    }
}

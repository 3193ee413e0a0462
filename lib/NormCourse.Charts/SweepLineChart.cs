using Microsoft.Data.Analysis;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace NormCourse.Charts;

/// <summary>
/// A metric of a sweep against one numeric axis, one line per value of another axis (for example best test accuracy
/// against learning rate, one line per normalization). Rows that share the series and x value (repeated seeds) are
/// averaged over their finite values; a point whose runs all diverged is left out.
/// </summary>
public static class SweepLineChart
{
    /// <summary>Plots column <paramref name="y"/> against column <paramref name="x"/> of a results table, a line per <paramref name="series"/> value.</summary>
    public static GenericChart Create(DataFrame table, string x, string y, string? series = null, bool logX = false,
        string? title = null, string? xTitle = null, string? yTitle = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var xs = SweepTableReader.Column(table, x);
        var ys = SweepTableReader.Column(table, y);
        var groups = series is null ? null : SweepTableReader.Column(table, series);
        var rows = Enumerable.Range(0, (int)table.Rows.Count).Select(i => (
            Series: groups is null ? y : $"{series}={SweepTableReader.Text(groups, i)}",
            X: SweepTableReader.Number(xs, i),
            Y: SweepTableReader.Number(ys, i)));
        var lines = rows.GroupBy(r => r.Series).Select(g =>
        {
            var points = g.GroupBy(r => r.X).OrderBy(p => p.Key)
                .Select(p => (X: p.Key, Y: SweepTableReader.MeanOfFinite(p.Select(r => r.Y))));
            var (px, py) = ChartStyle.Finite(points);
            return CSharpChart.Line<double, double, string>(x: px, y: py, Name: g.Key, ShowLegend: true, ShowMarkers: true);
        }).ToArray();
        if (lines.Length == 0) throw new ArgumentException("The table has no rows.", nameof(table));
        return ChartStyle.Finish(CSharpChart.Combine(lines), title ?? $"{y} vs {x}", xTitle ?? x, yTitle ?? y, logX);
    }
}

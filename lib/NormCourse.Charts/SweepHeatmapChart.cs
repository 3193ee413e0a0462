using Microsoft.Data.Analysis;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace NormCourse.Charts;

/// <summary>
/// A metric of a sweep over two axes as a heat map (for example test accuracy over learning rate × init scale).
/// Rows that share both axis values (repeated seeds) are averaged over their finite values; a cell whose runs all
/// diverged is left blank.
/// </summary>
public static class SweepHeatmapChart
{
    /// <summary>Colours cell (x, y) by the mean of column <paramref name="value"/>; axis values appear in sorted order.</summary>
    public static GenericChart Create(DataFrame table, string x, string y, string value, string? title = null, string? colorTitle = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var xs = SweepTableReader.Column(table, x);
        var ys = SweepTableReader.Column(table, y);
        var vs = SweepTableReader.Column(table, value);
        int n = (int)table.Rows.Count;
        if (n == 0) throw new ArgumentException("The table has no rows.", nameof(table));
        string[] xKeys = Keys(xs), yKeys = Keys(ys);
        var cells = Enumerable.Range(0, n)
            .GroupBy(i => (X: SweepTableReader.Text(xs, i), Y: SweepTableReader.Text(ys, i)))
            .ToDictionary(g => g.Key, g => SweepTableReader.MeanOfFinite(g.Select(i => SweepTableReader.Number(vs, i))));
        // A cell with no finite value is NaN, which Plotly.NET writes as the string "NaN" and plotly.js leaves blank.
        double[][] z = [.. yKeys.Select(yk => xKeys.Select(xk => cells.TryGetValue((xk, yk), out double v) ? v : double.NaN).ToArray())];
        var heatmap = CSharpChart.Heatmap<double, string, string, string>(zData: z, X: xKeys, Y: yKeys, Name: value,
            ColorBar: ChartStyle.TitledColorBar(colorTitle ?? value));
        return ChartStyle.Finish(heatmap, title ?? $"{value} over {x} × {y}", x, y, categories: true);
    }

    private static string[] Keys(DataFrameColumn column)
    {
        var indices = Enumerable.Range(0, (int)column.Length);
        return SweepTableReader.IsNumeric(column)
            ? [.. indices.Select(i => (Key: SweepTableReader.Text(column, i), Value: SweepTableReader.Number(column, i)))
                .DistinctBy(k => k.Key).OrderBy(k => k.Value).Select(k => k.Key)]
            : [.. indices.Select(i => SweepTableReader.Text(column, i)).Distinct().Order(StringComparer.Ordinal)];
    }
}

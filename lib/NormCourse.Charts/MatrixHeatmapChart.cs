using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace NormCourse.Charts;

/// <summary>
/// A matrix as a heat map drawn the way it is written — row 0 at the top — with a diverging colour scale, for the
/// BatchNorm Jacobian ∂y/∂x (a scaled projection: its rows sum to zero) and other small matrices.
/// </summary>
public static class MatrixHeatmapChart
{
    /// <summary>Draws <paramref name="matrix"/>; cell (i, j) is row i, column j.</summary>
    public static GenericChart Create(double[,] matrix, string title, string rowTitle = "Row i", string columnTitle = "Column j",
        string colorTitle = "Value")
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int rows = matrix.GetLength(0), columns = matrix.GetLength(1);
        if (rows == 0 || columns == 0) throw new ArgumentException("The matrix is empty.", nameof(matrix));
        double[][] z = [.. Enumerable.Range(0, rows).Select(i => Enumerable.Range(0, columns).Select(j => matrix[i, j]).ToArray())];
        foreach (double v in z.SelectMany(r => r))
            if (!double.IsFinite(v)) throw new ArgumentException("The matrix holds NaN or ∞, which a heat map cannot show.", nameof(matrix));
        var heatmap = CSharpChart.Heatmap<double, int, int, string>(zData: z,
            X: Enumerable.Range(0, columns).ToArray(), Y: Enumerable.Range(0, rows).ToArray(),
            ColorScale: StyleParam.Colorscale.RdBu, ReverseYAxis: true, Name: title,
            ColorBar: ChartStyle.TitledColorBar(colorTitle));
        return ChartStyle.Finish(heatmap, title, columnTitle, rowTitle);
    }
}

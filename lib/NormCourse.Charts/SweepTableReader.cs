using System.Globalization;
using Microsoft.Data.Analysis;

namespace NormCourse.Charts;

/// <summary>Reads cells of a sweep's results table for the sweep charts.</summary>
internal static class SweepTableReader
{
    /// <summary>The column called <paramref name="name"/>, or an exception listing the columns there are.</summary>
    public static DataFrameColumn Column(DataFrame table, string name) =>
        table.Columns.FirstOrDefault(c => c.Name == name)
        ?? throw new ArgumentException($"The table has no column '{name}'; it has: {string.Join(", ", table.Columns.Select(c => c.Name))}.");

    /// <summary>A cell as a number (NaN when missing or not numeric).</summary>
    public static double Number(DataFrameColumn column, long row) => column[row] switch
    {
        null => double.NaN,
        bool b => b ? 1 : 0,
        string s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : double.NaN,
        var v => Convert.ToDouble(v, CultureInfo.InvariantCulture),
    };

    /// <summary>A cell as text, for categories and legends.</summary>
    public static string Text(DataFrameColumn column, long row) => Convert.ToString(column[row], CultureInfo.InvariantCulture) ?? "";

    /// <summary>True when every cell of the column reads as a number.</summary>
    public static bool IsNumeric(DataFrameColumn column) =>
        Enumerable.Range(0, (int)column.Length).All(i => column[i] is not string || double.IsFinite(Number(column, i)));

    /// <summary>The mean of the finite values (NaN when there are none): repeated seeds collapse to one point.</summary>
    public static double MeanOfFinite(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        return finite.Length == 0 ? double.NaN : finite.Average();
    }
}

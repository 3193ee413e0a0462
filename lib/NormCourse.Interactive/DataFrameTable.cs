using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Data.Analysis;

namespace NormCourse.Interactive;

/// <summary>
/// How a <see cref="DataFrame"/> shows in a notebook: an HTML table of its column names and first
/// <see cref="MaxRows"/> rows, and a line saying how many rows were left out.
/// </summary>
public static class DataFrameTable
{
    /// <summary>How many rows the table shows at most.</summary>
    public const int MaxRows = 25;

    /// <summary>The table as HTML.</summary>
    public static string ToHtml(DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var sb = new StringBuilder("<table class=\"normcourse-dataframe\"><thead><tr><th></th>");
        foreach (var column in frame.Columns) sb.Append("<th>").Append(WebUtility.HtmlEncode(column.Name)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        long shown = Math.Min(frame.Rows.Count, MaxRows);
        for (long r = 0; r < shown; r++)
        {
            sb.Append("<tr><td><i>").Append(r).Append("</i></td>");
            foreach (var column in frame.Columns) sb.Append("<td>").Append(WebUtility.HtmlEncode(Cell(column[r]))).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        if (frame.Rows.Count > shown)
            sb.Append("<div><small>").Append(frame.Rows.Count - shown).Append(" more rows (").Append(frame.Rows.Count).Append(" in all)</small></div>");
        return sb.ToString();
    }

    private static string Cell(object? value) => value switch
    {
        null => "",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

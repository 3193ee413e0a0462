using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace NormCourse.Interactive;

/// <summary>How a MathNet matrix shows in a notebook: its size and its entries as a table (up to 12×12).</summary>
public static class MatrixTable
{
    /// <summary>Rows and columns shown at most.</summary>
    public const int MaxSize = 12;

    /// <summary>The matrix as an HTML table, 4 significant digits, tiny values (|v| &lt; 1e-12) shown as 0.</summary>
    public static string ToHtml(Matrix<double> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var sb = new StringBuilder($"<div><code>Matrix {matrix.RowCount}×{matrix.ColumnCount}</code>");
        sb.Append("<table style=\"font-family:monospace\">");
        for (int r = 0; r < Math.Min(matrix.RowCount, MaxSize); r++)
        {
            sb.Append("<tr>");
            for (int c = 0; c < Math.Min(matrix.ColumnCount, MaxSize); c++)
            {
                double v = matrix[r, c];
                sb.Append("<td style=\"text-align:right\">")
                  .Append(Math.Abs(v) < 1e-12 ? "0" : v.ToString("G4", CultureInfo.InvariantCulture)).Append("</td>");
            }
            sb.Append(matrix.ColumnCount > MaxSize ? "<td>…</td></tr>" : "</tr>");
        }
        if (matrix.RowCount > MaxSize) sb.Append("<tr><td>⋮</td></tr>");
        return sb.Append("</table></div>").ToString();
    }
}

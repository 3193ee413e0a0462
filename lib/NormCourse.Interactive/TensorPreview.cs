using System.Globalization;
using System.Net;
using System.Text;

namespace NormCourse.Interactive;

/// <summary>
/// How a <see cref="Tensor{T}"/> shows in a notebook: its shape and element type, summary statistics
/// (mean, standard deviation, min, max over all elements), and a preview of its values: a rank-1 tensor as one
/// row, a rank-2 tensor as a table, a higher-rank tensor as its first matrix <c>[0, …, 0, :, :]</c>. Long axes
/// show their first and last <see cref="Edge"/> entries with an ellipsis between, as PyTorch prints.
/// </summary>
public static class TensorPreview
{
    /// <summary>How many leading and trailing entries of a long axis are shown.</summary>
    public const int Edge = 4;

    /// <summary>The one-line header: type, shape and statistics, e.g. <c>Tensor&lt;Double&gt; (4, 3) mean=…</c>.</summary>
    public static string Header<T>(Tensor<T> tensor) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var sb = new StringBuilder($"Tensor<{typeof(T).Name}> {tensor.ShapeString}");
        if (tensor.Length == 0) return sb.Append(" (empty)").ToString();
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in tensor.Data)
        {
            double d = double.CreateChecked(v);
            sum += d;
            min = Math.Min(min, d);
            max = Math.Max(max, d);
        }
        double mean = sum / tensor.Length, squares = 0;
        foreach (var v in tensor.Data) squares += Math.Pow(double.CreateChecked(v) - mean, 2);
        double std = Math.Sqrt(squares / tensor.Length);
        return sb.Append($"  mean={Format(mean)} std={Format(std)} min={Format(min)} max={Format(max)}").ToString();
    }

    /// <summary>The header and the preview as plain text (rows on separate lines).</summary>
    public static string ToPlainText<T>(Tensor<T> tensor) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sb = new StringBuilder(Header(tensor));
        foreach (var row in Rows(tensor))
            sb.Append('\n').Append("  [").Append(string.Join(", ", row)).Append(']');
        return sb.ToString();
    }

    /// <summary>The header and the preview as an HTML table.</summary>
    public static string ToHtml<T>(Tensor<T> tensor) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sb = new StringBuilder("<div class=\"normcourse-tensor\"><code>")
            .Append(WebUtility.HtmlEncode(Header(tensor))).Append("</code>");
        var rows = Rows(tensor);
        if (rows.Count > 0)
        {
            if (tensor.Rank > 2) sb.Append("<div><small>first matrix [0, …, 0, :, :]</small></div>");
            sb.Append("<table style=\"font-family:monospace\">");
            foreach (var row in rows)
            {
                sb.Append("<tr>");
                foreach (var cell in row) sb.Append("<td style=\"text-align:right\">").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
                sb.Append("</tr>");
            }
            sb.Append("</table>");
        }
        return sb.Append("</div>").ToString();
    }

    /// <summary>The preview as rows of formatted cells, with "…" standing for the entries left out.</summary>
    public static IReadOnlyList<string[]> Rows<T>(Tensor<T> tensor) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Length == 0) return [];
        // A scalar or vector is one row; anything else previews its first matrix (the last two axes).
        int cols = tensor.Rank == 0 ? 1 : tensor.Shape[^1];
        int rowsInMatrix = tensor.Rank >= 2 ? tensor.Shape[^2] : 1;
        var result = new List<string[]>();
        foreach (int r in Indices(rowsInMatrix))
        {
            if (r < 0) { result.Add(Enumerable.Repeat("⋮", Indices(cols).Count()).ToArray()); continue; }
            result.Add(Indices(cols).Select(c => c < 0 ? "…" : Format(double.CreateChecked(tensor.Data[r * cols + c]))).ToArray());
        }
        return result;
    }

    // The indices shown along an axis of the given size; -1 marks the gap.
    private static IEnumerable<int> Indices(int size)
    {
        if (size <= 2 * Edge + 1) return Enumerable.Range(0, size);
        return Enumerable.Range(0, Edge).Append(-1).Concat(Enumerable.Range(size - Edge, Edge));
    }

    private static string Format(double value) => value.ToString("G5", CultureInfo.InvariantCulture);
}

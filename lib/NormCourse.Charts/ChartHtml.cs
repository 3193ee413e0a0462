using System.Net;
using System.Text;
using NormCourse.Experiments;
using Plotly.NET;

namespace NormCourse.Charts;

/// <summary>
/// Self-contained HTML pages of charts that work offline: plotly.js (the copy inside Plotly.NET) is embedded once per
/// page, however many charts follow. Files are written under a temporary name and renamed.
/// </summary>
public static class ChartHtml
{
    private const string ResourcePrefix = "Plotly.NET.plotly-";
    private const string ResourceSuffix = ".min.js";

    // The plotly.js that Plotly.NET itself carries, found by name so a Plotly.NET update brings its own version.
    private static readonly string PlotlyResource = typeof(GenericChart).Assembly.GetManifestResourceNames()
        .SingleOrDefault(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(ResourceSuffix, StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"Plotly.NET carries no '{ResourcePrefix}*{ResourceSuffix}' resource to embed.");

    // Read once: the script is ~3.5 MB and never changes.
    private static readonly Lazy<string> PlotlyJs = new(ReadPlotlyJs);

    /// <summary>The plotly.js version embedded in the pages, e.g. <c>2.28.0</c>.</summary>
    public static string PlotlyJsVersion => PlotlyResource[ResourcePrefix.Length..^ResourceSuffix.Length];

    /// <summary>A complete HTML page titled <paramref name="pageTitle"/> showing <paramref name="charts"/> in order.</summary>
    public static string ToHtml(IEnumerable<GenericChart> charts, string pageTitle)
    {
        ArgumentNullException.ThrowIfNull(charts);
        var list = charts.ToArray();
        if (list.Length == 0) throw new ArgumentException("A page needs at least one chart.", nameof(charts));
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(WebUtility.HtmlEncode(pageTitle)).Append("</title>\n<script type=\"text/javascript\">\n")
            // A literal "</script" inside the library would end the element early; "<\/" means the same to JavaScript.
            .Append(PlotlyJs.Value.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase))
            .Append("\n</script>\n</head>\n<body>\n");
        foreach (var chart in list) html.Append(GenericChart.toChartHTML(chart)).Append('\n');
        return html.Append("</body>\n</html>\n").ToString();
    }

    /// <summary>Writes a page of <paramref name="charts"/> to <paramref name="path"/>, atomically.</summary>
    public static void Save(string path, IEnumerable<GenericChart> charts, string pageTitle) =>
        AtomicFile.WriteAllText(path, ToHtml(charts, pageTitle));

    /// <summary>Writes a page of one chart to <paramref name="path"/>, atomically; the page is titled after the file by default.</summary>
    public static void Save(string path, GenericChart chart, string? pageTitle = null) =>
        Save(path, [chart], pageTitle ?? Path.GetFileNameWithoutExtension(path));

    private static string ReadPlotlyJs()
    {
        using var stream = typeof(GenericChart).Assembly.GetManifestResourceStream(PlotlyResource)
            ?? throw new InvalidOperationException($"Plotly.NET's resource '{PlotlyResource}' could not be opened.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

using Plotly.NET;

namespace NormCourse.Interactive;

/// <summary>
/// Formats a Plotly.NET chart for a notebook without the network. Plotly.NET.Interactive's own formatter loads
/// plotly.js from a CDN through require.js, so an offline learner sees nothing. This one writes the chart's
/// <c>div</c> and <c>Plotly.newPlot</c> call, and, in the first chart it formats, plotly.js itself inline (marked
/// with <see cref="PlotlyJs.ScriptAttribute"/>): the notebook page then has <c>window.Plotly</c> for every later
/// chart. One instance serves one kernel session (setup registers a new one each run).
/// </summary>
public sealed class ChartHtml
{
    private bool _plotlyWritten;

    /// <summary>The chart as HTML, preceded by the inline plotly.js the first time.</summary>
    public string ToHtml(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        string html = GenericChart.toChartHTML(chart);
        if (_plotlyWritten) return html;
        _plotlyWritten = true;
        return $"<script type=\"text/javascript\" {PlotlyJs.ScriptAttribute}=\"{PlotlyJs.Version}\">{PlotlyJs.ReadSource()}</script>{html}";
    }
}

using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace NormCourse.Interactive;

/// <summary>A progress bar in a notebook cell: one displayed HTML value, replaced on every report.</summary>
public sealed class NotebookProgress : IProgress<ProgressReport>
{
    private readonly DisplayedValue _displayed;

    private NotebookProgress(DisplayedValue displayed) => _displayed = displayed;

    /// <summary>Shows an empty bar in the running cell, or returns null when no cell is running.</summary>
    public static NotebookProgress? TryCreate() =>
        KernelInvocationContext.Current is null
            ? null
            : new NotebookProgress(new HtmlString(ToHtml(new ProgressReport(0, ""))).Display(HtmlFormatter.MimeType));

    /// <summary>Replaces the bar with <paramref name="value"/>.</summary>
    public void Report(ProgressReport value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _displayed.Update(new HtmlString(ToHtml(value)));
    }

    /// <summary>The report as an HTML progress bar followed by its percentage and message.</summary>
    public static string ToHtml(ProgressReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        string value = report.Fraction.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"<div><progress max=\"1\" value=\"{value}\"></progress> {Math.Round(report.Fraction * 100)}% "
             + $"{System.Net.WebUtility.HtmlEncode(report.Message)}</div>";
    }
}

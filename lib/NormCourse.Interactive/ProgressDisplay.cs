using System.Net;
using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace NormCourse.Interactive;

/// <summary>
/// One progress output that changes in place: in a notebook a single displayed value updated on every report
/// (an HTML bar and a message), in a console a single line rewritten with a carriage return. Long-running code
/// (the trainer) takes an <see cref="IProgress{T}"/> of <see cref="ProgressReport"/> and stays free of notebook types.
/// </summary>
public sealed class ProgressDisplay : IProgress<ProgressReport>
{
    private readonly DisplayedValue? _displayed;
    private readonly TextWriter _console;

    /// <summary>Starts the display: shows an empty bar now, in the current notebook cell when there is one.</summary>
    /// <param name="console">Where to write when not in a notebook; <see cref="Console.Out"/> by default.</param>
    public ProgressDisplay(TextWriter? console = null)
    {
        _console = console ?? Console.Out;
        // Outside a kernel (a script twin, a test) there is no cell to update: fall back to the console.
        if (KernelInvocationContext.Current is not null)
            _displayed = new HtmlString(ToHtml(new ProgressReport(0, ""))).Display("text/html");
    }

    /// <summary>Replaces what is shown with <paramref name="value"/>.</summary>
    public void Report(ProgressReport value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_displayed is not null) _displayed.Update(new HtmlString(ToHtml(value)));
        else
        {
            _console.Write($"\r{ToText(value)}");
            if (value.Fraction >= 1) _console.WriteLine();
        }
    }

    /// <summary>The report as one console line, e.g. <c>[#####-----]  50%  epoch 1</c>.</summary>
    public static string ToText(ProgressReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        int filled = (int)Math.Round(report.Fraction * 20);
        return $"[{new string('#', filled)}{new string('-', 20 - filled)}] {report.Fraction,4:P0}  {report.Message}";
    }

    /// <summary>The report as an HTML progress bar followed by its message.</summary>
    public static string ToHtml(ProgressReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return $"<div><progress max=\"1\" value=\"{report.Fraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"></progress> "
             + $"{Math.Round(report.Fraction * 100)}% {WebUtility.HtmlEncode(report.Message)}</div>";
    }
}

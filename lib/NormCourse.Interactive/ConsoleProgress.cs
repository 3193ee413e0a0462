namespace NormCourse.Interactive;

/// <summary>A progress bar on one console line, rewritten with a carriage return; a newline once complete.</summary>
/// <param name="console">Where to write.</param>
public sealed class ConsoleProgress(TextWriter console) : IProgress<ProgressReport>
{
    /// <summary>Rewrites the line with <paramref name="value"/>.</summary>
    public void Report(ProgressReport value)
    {
        ArgumentNullException.ThrowIfNull(value);
        console.Write($"\r{ToText(value)}");
        if (value.Fraction >= 1) console.WriteLine();
    }

    /// <summary>The report as one line, e.g. <c>[##########----------]  50%  epoch 1</c>.</summary>
    public static string ToText(ProgressReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        int filled = (int)Math.Round(report.Fraction * 20);
        string percent = Math.Round(report.Fraction * 100).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"[{new string('#', filled)}{new string('-', 20 - filled)}] {percent,3}%  {report.Message}";
    }
}

using Microsoft.Data.Analysis;
using Plotly.NET;

namespace NormCourse.Interactive;

/// <summary>
/// What a lesson's script twin does where the notebook displays a value: a chart becomes a self-contained HTML
/// file (plotly.js inside, so it opens offline) in <c>out/scripts/&lt;lesson&gt;/</c>, and its path is printed;
/// anything else is printed to the console (tensors with <see cref="TensorPreview"/>, data frames as text tables).
/// </summary>
public sealed class ScriptOutput
{
    private int _charts;

    /// <summary>Prepares the output folder of one lesson under the repository's <c>out/scripts/</c>.</summary>
    /// <param name="lesson">The lesson's file name without extension, e.g. <c>00-welcome</c>.</param>
    public ScriptOutput(string lesson)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(lesson);
        Lesson = lesson;
        Folder = Path.Combine(RepositoryRoot(Directory.GetCurrentDirectory()), "out", "scripts", lesson);
        Directory.CreateDirectory(Folder);
    }

    /// <summary>The lesson this output belongs to.</summary>
    public string Lesson { get; }

    /// <summary>The folder charts are written to.</summary>
    public string Folder { get; }

    /// <summary>Shows one value: writes a chart to a file, prints everything else.</summary>
    public void Show(object? value)
    {
        switch (value)
        {
            case GenericChart chart:
                string path = Path.Combine(Folder, $"chart-{++_charts:D2}.html");
                WriteAtomically(path, ToSelfContainedHtml(chart, $"{Lesson}: chart {_charts}"));
                Console.WriteLine($"[chart {_charts}] {Path.GetRelativePath(Directory.GetCurrentDirectory(), path)}");
                break;
            case Tensor<double> t: Console.WriteLine(TensorPreview.ToPlainText(t)); break;
            case Tensor<float> t: Console.WriteLine(TensorPreview.ToPlainText(t)); break;
            case DataFrame frame: Console.WriteLine(frame.ToString()); break;
            default: Console.WriteLine(value?.ToString() ?? "null"); break;
        }
    }

    /// <summary>A whole HTML page with plotly.js inline and the chart in it.</summary>
    public static string ToSelfContainedHtml(GenericChart chart, string title) =>
        $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{System.Net.WebUtility.HtmlEncode(title)}</title>"
        + $"<script type=\"text/javascript\">{PlotlyJs.ReadSource()}</script></head>\n<body>{GenericChart.toChartHTML(chart)}</body></html>\n";

    /// <summary>The nearest folder at or above <paramref name="start"/> holding NormCourse.sln, else <paramref name="start"/>.</summary>
    public static string RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NormCourse.sln"))) return dir.FullName;
        return start;
    }

    private static void WriteAtomically(string path, string text)
    {
        string temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}

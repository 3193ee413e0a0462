using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig;
using NormCourse.Interactive;

namespace NormCourse.Course;

/// <summary>
/// Writes the static course site from executed notebooks: one page per lesson (its text with math rendered by a
/// local KaTeX, its code, its outputs, its charts drawn by a local plotly.js) and an index with each lesson's
/// running time. plotly.js is written once (<c>plotly.min.js</c>) and every page references it, so the site
/// works with no network; the copy of plotly.js a notebook inlines in its first chart is removed from the pages.
/// </summary>
public static partial class SiteWriter
{
    /// <summary>The file every page loads plotly.js from.</summary>
    public const string PlotlyFile = "plotly.min.js";

    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseMathematics().UsePipeTables().Build();

    [GeneratedRegex("<script[^>]*" + PlotlyJs.ScriptAttribute + "[^>]*>.*?</script>", RegexOptions.Singleline)]
    private static partial Regex InlinePlotly();

    /// <summary>Writes plotly.js and the shared style into <paramref name="siteFolder"/> (KaTeX is <see cref="KatexVendor"/>'s).</summary>
    public static void WriteAssets(string siteFolder)
    {
        Directory.CreateDirectory(siteFolder);
        WriteAtomically(Path.Combine(siteFolder, PlotlyFile), PlotlyJs.ReadSource());
        WriteAtomically(Path.Combine(siteFolder, "course.css"), Style);
    }

    /// <summary>Writes one lesson's page, <c>NN-name.html</c>, from its executed notebook.</summary>
    public static string WriteLesson(string siteFolder, LessonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.OutputPath is null) throw new ArgumentException($"Lesson {result.Lesson} has no executed notebook to publish.");
        var notebook = Notebook.Read(result.OutputPath);
        var body = new StringBuilder();
        body.Append("<nav><a href=\"index.html\">← all lessons</a></nav>\n");
        body.Append($"<p class=\"time\">Ran in {Seconds(result.Seconds)} on this machine{(result.Passed ? "" : " — FAILED: " + WebUtility.HtmlEncode(result.Failure))}.</p>\n");
        foreach (var cell in notebook.Cells)
        {
            if (cell.IsMarkdown) body.Append("<section class=\"text\">").Append(Markdig.Markdown.ToHtml(cell.Source, Markdown)).Append("</section>\n");
            else if (cell.IsCode)
            {
                body.Append("<pre class=\"code\"><code>").Append(WebUtility.HtmlEncode(cell.Source)).Append("</code></pre>\n");
                foreach (var output in Outputs(cell)) body.Append("<div class=\"output\">").Append(output).Append("</div>\n");
            }
        }
        string path = Path.Combine(siteFolder, result.Lesson + ".html");
        WriteAtomically(path, Page(Title(notebook, result.Lesson), body.ToString()));
        return path;
    }

    /// <summary>Writes <c>index.html</c>: every lesson with its title, running time and status.</summary>
    public static void WriteIndex(string siteFolder, IReadOnlyList<LessonResult> results)
    {
        var body = new StringBuilder("<h1>NormCourse</h1>\n<p>Normalization in deep networks, in C#. Running times measured by the course build on this machine.</p>\n");
        body.Append("<table class=\"index\"><tr><th>Lesson</th><th>Running time</th><th>Status</th></tr>\n");
        foreach (var r in results)
        {
            string title = r.OutputPath is null ? r.Lesson : Title(Notebook.Read(r.OutputPath), r.Lesson);
            body.Append($"<tr><td><a href=\"{r.Lesson}.html\">{WebUtility.HtmlEncode(title)}</a></td><td>{Seconds(r.Seconds)}</td>")
                .Append($"<td>{(r.Passed ? "passed" : "FAILED")}</td></tr>\n");
        }
        body.Append("</table>\n");
        WriteAtomically(Path.Combine(siteFolder, "index.html"), Page("NormCourse", body.ToString()));
    }

    /// <summary>The HTML of a code cell's outputs, in order, without the setup's package-install progress.</summary>
    public static IEnumerable<string> Outputs(NotebookCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var html = new List<string>();
        foreach (var output in cell.Outputs)
        {
            if (output is null) continue;
            string kind = output["output_type"]?.GetValue<string>() ?? "";
            if (kind == "stream") html.Add(Pre(Notebook.JoinSource(output["text"]), "stream"));
            else if (kind == "error") html.Add(Pre($"{output["ename"]}: {output["evalue"]}", "error"));
            else if (output["data"] is JsonObject data)
            {
                if (data["text/html"] is { } h) html.Add(InlinePlotly().Replace(Notebook.JoinSource(h), ""));
                else if (data["text/plain"] is { } t) html.Add(Pre(Notebook.JoinSource(t), "plain"));
            }
        }
        // Package installation reports its progress as a stream of displays; the final "Installed Packages" says it all.
        // The kernel's "Loading extensions from <this machine's package folder>" lines say nothing to a reader.
        return html.Where(h => !h.Contains("Installing Packages", StringComparison.Ordinal)
            && !h.Contains("Loading extensions from", StringComparison.Ordinal));
    }

    /// <summary>The lesson's title: its first markdown heading, else its file name.</summary>
    public static string Title(Notebook notebook, string fallback)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        foreach (var cell in notebook.Cells.Where(c => c.IsMarkdown))
            foreach (var line in cell.Source.Split('\n'))
                if (line.StartsWith('#')) return line.TrimStart('#').Trim();
        return fallback;
    }

    private static string Page(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{{WebUtility.HtmlEncode(title)}}</title>
        <link rel="stylesheet" href="katex/katex.min.css"><link rel="stylesheet" href="course.css">
        <script src="katex/katex.min.js"></script><script src="{{PlotlyFile}}"></script>
        </head><body>
        {{body}}
        <script>
        document.querySelectorAll('.math').forEach(function (el) {
          var raw = el.textContent.trim();
          var tex = raw.replace(/^\\[(\[]/, '').replace(/\\[)\]]$/, '');
          katex.render(tex, el, { displayMode: el.tagName === 'DIV' || raw.indexOf('\\[') === 0, throwOnError: false });
        });
        </script>
        </body></html>

        """;

    private static string Pre(string text, string cssClass) => $"<pre class=\"{cssClass}\">{WebUtility.HtmlEncode(text)}</pre>";

    private static string Seconds(double s) => s.ToString("F1", CultureInfo.InvariantCulture) + " s";

    private static void WriteAtomically(string path, string text)
    {
        string temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    private const string Style = """
        body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
        pre.code { background: #f4f6f8; padding: .75rem; overflow-x: auto; border-left: 3px solid #5b7db1; }
        .output { margin: .5rem 0 1.5rem 0; overflow-x: auto; }
        pre.error { color: #a00; background: #fff0f0; padding: .5rem; }
        pre.stream, pre.plain, pre.error { padding: .25rem .75rem; white-space: pre-wrap; }
        .time { color: #555; font-style: italic; }
        table.index td, table.index th { padding: .25rem 1rem; text-align: left; }
        """;
}

using NormCourse.Course;

namespace NormCourse.Notebooks.Tests;

/// <summary>
/// The shared setup under the pinned kernel: with it a chart builds; with the same setup minus the FSharp.Core
/// fix the chart fails (so the passing test is evidence that the fix, not luck, makes charts work).
/// </summary>
public class SetupTests
{
    private const string FixLine = "NormCourse.Interactive.FSharpCoreResolver.Install();";
    private const string ChartCell =
        "Chart.Line<double, double, string>(x: new[] { 1.0, 2, 3 }, y: new[] { 1.0, 4, 9 }, Name: \"squares\")";

    [Fact]
    public void Setup_then_a_chart_passes_and_the_chart_is_offline_html()
    {
        string folder = Repository.NewWorkFolder("setup");
        File.Copy(Path.Combine(Repository.Root, "notebooks", "setup.dib"), Path.Combine(folder, "setup.dib"));
        string path = Path.Combine(folder, "91-setup.ipynb");
        NotebookFiles.Write(path, ["#!import setup.dib", ChartCell]);

        var result = LessonRunner.RunNotebook(path, Path.Combine(folder, "executed"));

        Assert.True(result.Passed, result.Failure);
        var executed = Notebook.Read(result.OutputPath!);
        string setupOutput = executed.Cells[0].Outputs.ToJsonString();
        Assert.Contains("FSharp.Core fix installed", setupOutput);
        string chartHtml = executed.Cells[1].Outputs.ToJsonString();
        Assert.Contains("Plotly.newPlot", chartHtml);
        Assert.Contains(NormCourse.Interactive.PlotlyJs.ScriptAttribute, chartHtml); // plotly.js inline, not from a CDN
    }

    [Fact]
    public void The_same_setup_without_the_FSharp_Core_fix_fails_at_the_chart()
    {
        string setup = File.ReadAllText(Path.Combine(Repository.Root, "notebooks", "setup.dib"));
        Assert.Equal(1, CountOccurrences(setup, FixLine)); // the line removed below is really the fix

        string folder = Repository.NewWorkFolder("nofix");
        File.WriteAllText(Path.Combine(folder, "setup.dib"), setup.Replace(FixLine, "", StringComparison.Ordinal));
        string path = Path.Combine(folder, "92-nofix.ipynb");
        NotebookFiles.Write(path, ["#!import setup.dib", ChartCell]);

        var result = LessonRunner.RunNotebook(path, Path.Combine(folder, "executed"));

        Assert.False(result.Passed);
        var executed = Notebook.Read(result.OutputPath!);
        Assert.Null(executed.Cells[0].FirstError); // the setup itself still ran
        Assert.Contains("FSharp.Core", executed.Cells[1].FirstError);
    }

    private static int CountOccurrences(string text, string what)
    {
        int count = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}

using System.Reflection;
using System.Runtime.Loader;
using Microsoft.Data.Analysis;
using NormCourse.Interactive;
using NormCourse.Tensors;

namespace NormCourse.Notebooks.Tests;

/// <summary>The notebook integration's pieces that run without a kernel.</summary>
public class InteractiveLibraryTests
{
    [Fact]
    public void Tensor_preview_shows_shape_statistics_and_elides_long_axes()
    {
        var t = Tensor<double>.FromArray(Enumerable.Range(1, 10).Select(i => (double)i).ToArray(), 10);
        // Values 1..10: mean 5.5, population std √8.25 = 2.8723 (to 5 significant digits).
        Assert.Equal("Tensor<Double> (10,)  mean=5.5 std=2.8723 min=1 max=10", TensorPreview.Header(t));
        Assert.Equal(["1", "2", "3", "4", "…", "7", "8", "9", "10"], TensorPreview.Rows(t).Single());
    }

    [Fact]
    public void Tensor_preview_of_a_matrix_is_a_table_of_its_rows()
    {
        var t = Tensor<float>.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        var rows = TensorPreview.Rows(t);
        Assert.Equal(["1", "2", "3"], rows[0]);
        Assert.Equal(["4", "5", "6"], rows[1]);
        Assert.Contains("<td style=\"text-align:right\">6</td>", TensorPreview.ToHtml(t));
    }

    [Fact]
    public void DataFrame_table_shows_columns_and_counts_the_rows_left_out()
    {
        var frame = new DataFrame(new PrimitiveDataFrameColumn<int>("step", Enumerable.Range(0, 30)));
        string html = DataFrameTable.ToHtml(frame);
        Assert.Contains("<th>step</th>", html);
        Assert.Equal(DataFrameTable.MaxRows, html.Split("<tr><td><i>").Length - 1);
        Assert.Contains("5 more rows (30 in all)", html);
    }

    [Fact]
    public void FSharp_Core_resolver_answers_only_for_FSharp_Core_with_the_loaded_one()
    {
        var loaded = typeof(Microsoft.FSharp.Core.FSharpOption<int>).Assembly; // the FSharp.Core this process has
        var asked = new AssemblyName("FSharp.Core, Version=99.0.0.0");
        Assert.Same(loaded, FSharpCoreResolver.Resolve(AssemblyLoadContext.Default, asked));
        Assert.Null(FSharpCoreResolver.Resolve(AssemblyLoadContext.Default, new AssemblyName("Newtonsoft.Json")));
    }

    [Fact]
    public void Console_progress_rewrites_one_line_and_ends_it_when_complete()
    {
        var writer = new StringWriter();
        var progress = new ConsoleProgress(writer);
        progress.Report(new ProgressReport(0.5, "epoch 1"));
        progress.Report(new ProgressReport(1.0, "done"));
        Assert.Equal("\r[##########----------]  50%  epoch 1\r[####################] 100%  done" + Environment.NewLine, writer.ToString());
    }

    [Fact]
    public void Progress_outside_a_kernel_is_the_console_one() =>
        Assert.IsType<ConsoleProgress>(ProgressDisplay.Create(new StringWriter()));

    [Fact]
    public void Script_chart_file_is_self_contained()
    {
        var chart = Plotly.NET.CSharp.Chart.Line<double, double, string>(x: new[] { 1.0, 2 }, y: new[] { 3.0, 4 }, Name: "line");
        string html = ScriptOutput.ToSelfContainedHtml(chart, "t");
        Assert.Contains(PlotlyJs.ReadSource(), html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script src=", html, StringComparison.Ordinal);
        Assert.Contains("Plotly.newPlot", html, StringComparison.Ordinal);
    }
}

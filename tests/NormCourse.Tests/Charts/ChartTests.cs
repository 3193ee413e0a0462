using Microsoft.Data.Analysis;
using NormCourse.Charts;
using NormCourse.Experiments;
using NormCourse.Probes;
using NormCourse.Training;

namespace NormCourse.Tests.Charts;

public class ChartTests
{
    private static TrainingHistory History(double scale, bool diverge = false)
    {
        var steps = Enumerable.Range(0, 10).Select(t => new StepRecord(t, 2.0 / (1 + scale * t), 0.1 * t * scale, 0.1, 0)).ToList();
        if (diverge) steps.Add(new StepRecord(10, double.NaN, 0, 0.1, 0));
        var evals = new List<EvalRecord> { new(0, 2.3, 0.1, 0), new(5, 1.0, 0.5 * scale, 0), new(10, 0.5, 0.9 * scale, 0) };
        return new TrainingHistory(steps, evals, diverge ? TrainingOutcome.Diverged : TrainingOutcome.Completed, diverge ? 10 : null);
    }

    [Fact]
    public void TrainingCurvesHaveALinePerRunNamedByConfigurationAndTitledAxes()
    {
        var chart = TrainingCurvesChart.Create([("BN", History(1)), ("no BN", History(0.5, diverge: true))]);
        var json = new ChartJson(chart);
        Assert.Equal(["BN", "no BN (diverged at step 10)"], json.TraceNames);
        Assert.Equal([0.0, 5, 10], ChartJson.Numbers(json.Traces[0].GetProperty("x")));
        Assert.Equal([10.0, 50, 90], ChartJson.Numbers(json.Traces[0].GetProperty("y")));
        Assert.Equal("Test accuracy", json.Title);
        Assert.Equal("Step (updates)", json.AxisTitle("xaxis"));
        Assert.Equal("Held-out accuracy (%)", json.AxisTitle("yaxis"));
    }

    [Fact]
    public void TrainLossCurvesDropTheNaNOfADivergedRunAndCanBeSmoothed()
    {
        var json = new ChartJson(TrainingCurvesChart.Create([("plain", History(1, diverge: true))], CurveMetric.TrainLoss, smoothing: 2));
        var y = ChartJson.Numbers(json.Traces[0].GetProperty("y"));
        Assert.Equal(10, y.Length);
        Assert.Equal(2.0, y[0], 12);                 // first point: its own value
        Assert.Equal((2.0 + 1.0) / 2, y[1], 12);     // mean of losses at t = 0, 1: 2/(1+0), 2/(1+1)
        Assert.Equal("Minibatch cross-entropy (nats)", json.AxisTitle("yaxis"));
    }

    [Fact]
    public void PercentileBandsShadeBetweenTheOuterPercentiles()
    {
        var probe = new PercentileProbe(2, [0]);
        probe.OnLayerOutput(0, 2, NormCourse.Tensors.Tensor<float>.FromArray([1, 2, 3, 4, 5], 5, 1));
        probe.OnLayerOutput(1, 2, NormCourse.Tensors.Tensor<float>.FromArray([2, 3, 4, 5, 6], 5, 1));
        var json = new ChartJson(PercentileBandsChart.Create(probe, 0, label: "BN"));
        Assert.Equal(["BN: 15th percentile", "BN: 85th percentile", "BN: 50th percentile"], json.TraceNames);
        Assert.Equal("tonexty", json.Traces[1].GetProperty("fill").GetString());
        Assert.Equal([3.0, 4.0], ChartJson.Numbers(json.Traces[2].GetProperty("y")));
        Assert.Equal("Input value", json.AxisTitle("yaxis"));
        var compare = new ChartJson(PercentileBandsChart.Compare([("BN", probe), ("no BN", probe)], 0));
        Assert.Equal(6, compare.Traces.Length);
        Assert.Contains(compare.Traces, t => t.GetProperty("xaxis").GetString() == "x2");
    }

    [Fact]
    public void LayerHistogramsPlotDensitiesOfTheChosenStep()
    {
        var probe = new HistogramProbe([1, 3], bins: 2, every: 1);
        probe.OnLayerOutput(0, 1, NormCourse.Tensors.Tensor<float>.FromArray([0, 0, 0, 1], 4, 1));
        probe.OnLayerOutput(0, 3, NormCourse.Tensors.Tensor<float>.FromArray([0, 2], 2, 1));
        var json = new ChartJson(LayerHistogramsChart.Create(probe.Records, layerNames: new Dictionary<int, string> { [1] = "sigmoid 1" }));
        Assert.Equal(2, json.Traces.Length);
        Assert.StartsWith("sigmoid 1", json.TraceNames[0]);
        Assert.StartsWith("layer 3", json.TraceNames[1]);
        // Layer 1: bins [0, 0.5), [0.5, 1] of width 0.5 with counts 3, 1 of 4: densities 1.5, 0.5.
        Assert.Equal([1.5, 0.5], ChartJson.Numbers(json.Traces[0].GetProperty("y")));
        Assert.Equal("Density (per unit value)", json.AxisTitle("yaxis"));
        Assert.Throws<ArgumentException>(() => LayerHistogramsChart.Create(probe.Records, HistogramKind.Gradient));
    }

    private static DataFrame Table() => new(
        new StringDataFrameColumn("Norm", ["None", "None", "BN", "BN", "None"]),
        new DoubleDataFrameColumn("LearningRate", [0.1, 1.0, 0.1, 1.0, 0.1]),
        new DoubleDataFrameColumn("BestTestAccuracy", [0.8, double.NaN, 0.9, 0.95, 0.7]));

    [Fact]
    public void SweepLinesAverageRepeatedPointsAndSkipDivergedOnes()
    {
        var json = new ChartJson(SweepLineChart.Create(Table(), "LearningRate", "BestTestAccuracy", series: "Norm", logX: true,
            xTitle: "Learning rate", yTitle: "Best test accuracy (fraction)"));
        Assert.Equal(["Norm=None", "Norm=BN"], json.TraceNames);
        Assert.Equal([0.1], ChartJson.Numbers(json.Traces[0].GetProperty("x")));
        Assert.Equal(0.75, ChartJson.Numbers(json.Traces[0].GetProperty("y"))[0], 12);
        Assert.Equal([0.9, 0.95], ChartJson.Numbers(json.Traces[1].GetProperty("y")));
        Assert.Equal("log", json.Layout.GetProperty("xaxis").GetProperty("type").GetString());
        Assert.Equal("Learning rate", json.AxisTitle("xaxis"));
        Assert.Throws<ArgumentException>(() => SweepLineChart.Create(Table(), "Nope", "BestTestAccuracy"));
    }

    [Fact]
    public void SweepHeatmapPutsTheMeanInEachCell()
    {
        var json = new ChartJson(SweepHeatmapChart.Create(Table(), "LearningRate", "Norm", "BestTestAccuracy"));
        var trace = Assert.Single(json.Traces);
        Assert.Equal("heatmap", trace.GetProperty("type").GetString());
        Assert.Equal(["0.1", "1"], trace.GetProperty("x").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["BN", "None"], trace.GetProperty("y").EnumerateArray().Select(v => v.GetString()));
        var z = trace.GetProperty("z").EnumerateArray().ToArray();
        Assert.Equal([0.9, 0.95], ChartJson.Numbers(z[0]));
        Assert.Equal(0.75, z[1][0].GetDouble(), 12);
        Assert.Equal("NaN", z[1][1].GetString()); // all runs diverged: left blank
        Assert.Equal("category", json.Layout.GetProperty("xaxis").GetProperty("type").GetString());
        Assert.Equal("LearningRate", json.AxisTitle("xaxis"));
    }

    [Fact]
    public void MatrixHeatmapKeepsRowZeroAtTheTop()
    {
        var json = new ChartJson(MatrixHeatmapChart.Create(new double[,] { { 1, -1 }, { -2, 2 } }, "BN Jacobian", "Output i", "Input j", "∂yᵢ/∂xⱼ"));
        var trace = Assert.Single(json.Traces);
        var z = trace.GetProperty("z").EnumerateArray().ToArray();
        Assert.Equal([1.0, -1.0], ChartJson.Numbers(z[0]));
        Assert.Equal([-2.0, 2.0], ChartJson.Numbers(z[1]));
        Assert.Equal("reversed", json.Layout.GetProperty("yaxis").GetProperty("autorange").GetString());
        Assert.Equal("∂yᵢ/∂xⱼ", trace.GetProperty("colorbar").GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("BN Jacobian", json.Title);
        Assert.Equal("Output i", json.AxisTitle("yaxis"));
        Assert.Throws<ArgumentException>(() => MatrixHeatmapChart.Create(new double[,] { { double.NaN } }, "bad"));
    }

    [Fact]
    public void HtmlPagesEmbedPlotlyJsOnceAndNeedNoNetwork()
    {
        var a = TrainingCurvesChart.Create([("a", History(1))]);
        var b = TrainingCurvesChart.Create([("b", History(1))], CurveMetric.TrainLoss);
        string path = Path.Combine(Path.GetTempPath(), $"charts-{Guid.NewGuid():N}.html");
        try
        {
            ChartHtml.Save(path, [a, b], "Two charts");
            string html = File.ReadAllText(path);
            Assert.StartsWith("<!DOCTYPE html>", html);
            Assert.Contains("<title>Two charts</title>", html);
            Assert.Equal(2, html.Split("Plotly chart will be drawn inside this DIV").Length - 1);
            // plotly.js's own banner appears once; nothing is fetched from a CDN.
            Assert.Equal(1, html.Split("plotly.js v" + ChartHtml.PlotlyJsVersion).Length - 1);
            Assert.DoesNotContain("src=\"https://cdn.plot.ly", html);
            Assert.DoesNotContain("<script src=", html);
            Assert.True(html.Length > 1_000_000);
            Assert.Equal("2.28.0", ChartHtml.PlotlyJsVersion); // the version Plotly.NET 6.0.0 carries
        }
        finally
        {
            File.Delete(path);
        }
    }
}

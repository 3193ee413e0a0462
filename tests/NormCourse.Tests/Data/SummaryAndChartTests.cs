using System.Text.Json;
using NormCourse.Charts;
using NormCourse.Data;
using NormCourse.Tensors;
using Plotly.NET;

namespace NormCourse.Tests.Data;

public class SummaryAndChartTests
{
    [Fact]
    public void Class_counts_frame_matches_the_labels()
    {
        var d = new LabeledDataset("d", Tensor<float>.Zeros(5, 2), [0, 2, 2, 1, 2], 3, ["a", "b", "c"]);
        var f = DatasetSummary.ClassCounts(d);
        Assert.Equal(3, f.Rows.Count);
        Assert.Equal(["class", "name", "count", "fraction"], f.Columns.Select(c => c.Name));
        Assert.Equal(new object[] { 1, 1, 3 }, Enumerable.Range(0, 3).Select(i => f["count"][i]));
        Assert.Equal("c", f["name"][2]);
        Assert.Equal(0.6, (double)f["fraction"][2]!, 12);
    }

    [Fact]
    public void Pixel_statistics_are_per_class_and_overall()
    {
        // Class 0: values 0, 1, 0, 1; class 1: values 0.5, 0.5.
        var d = new LabeledDataset("d", Tensor<float>.FromArray([0f, 1, 0.5f, 0.5f, 0, 1], 3, 2), [0, 1, 0], 2);
        var f = DatasetSummary.PixelStatistics(d);
        Assert.Equal(3, f.Rows.Count);
        Assert.Equal("all", f["class"][2]);
        Assert.Equal(0.5, (double)f["mean"][0]!, 12);
        Assert.Equal(0.5, (double)f["std"][0]!, 12);
        Assert.Equal(0.0, (double)f["std"][1]!, 12);
        Assert.Equal(0.5, (double)f["zero_fraction"][0]!, 12);
        Assert.Equal(2.0 / 6, (double)f["zero_fraction"][2]!, 12);
        Assert.Equal(1.0, (double)f["max"][2]!, 12);
    }

    [Fact]
    public void Preview_lists_the_first_examples()
    {
        var split = Mnist.LoadEmbedded();
        var f = DatasetSummary.Preview(split.Train, rows: 5);
        Assert.Equal(5, f.Rows.Count);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(split.Train.Labels[i], f["label"][i]);
            Assert.Equal(split.Train.Features.Data.Skip(784 * i).Take(784).Average(v => (double)v), (double)f["mean"][i]!, 5);
        }
        var counts = DatasetSummary.ClassCounts(split);
        Assert.Equal(split.Train.ClassCounts()[7], counts["train"][7]);
        Assert.Equal(split.Test.ClassCounts()[7], counts["test"][7]);
    }

    [Fact]
    public void Image_grid_has_one_heatmap_per_image_titled_by_class()
    {
        var train = FashionLikeSubset();
        var chart = ImageGridChart.Create(train, count: 6, columns: 3);
        using var json = JsonDocument.Parse(GenericChart.toJson(chart));
        var traces = json.RootElement.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(6, traces.Length);
        Assert.All(traces, t => Assert.Equal("heatmap", t.GetProperty("type").GetString()));
        Assert.Equal(6, traces.Select(t => t.GetProperty("xaxis").GetString()).Distinct().Count()); // one cell each
        Assert.Equal(28, traces[0].GetProperty("z").GetArrayLength());
        // The first image's top-left row is the dataset's first 28 values.
        var firstRow = traces[0].GetProperty("z")[0].EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(train.Features.Data.Take(28), firstRow);
        string layout = json.RootElement.GetProperty("layout").GetRawText();
        for (int i = 0; i < 6; i++) Assert.Contains($"\"{train.ClassNames[train.Labels[i]]}\"", layout);
    }

    private static LabeledDataset FashionLikeSubset()
    {
        var mnist = Mnist.LoadEmbedded().Train.Subset([0, 1, 2, 3, 4, 5, 6]);
        string[] names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
        return new LabeledDataset("named", mnist.Features, mnist.Labels, 10, names).AsImages();
    }
}

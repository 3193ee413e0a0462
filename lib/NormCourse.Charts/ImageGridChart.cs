using Microsoft.FSharp.Core;
using NormCourse.Data;
using Plotly.NET;
using Plotly.NET.LayoutObjects;

namespace NormCourse.Charts;

/// <summary>
/// The first images of a dataset in a grid, each a grey heatmap titled with its class: a quick look at what
/// a model is about to learn.
/// </summary>
public static class ImageGridChart
{
    /// <summary>
    /// A grid of the first <paramref name="count"/> images of <paramref name="data"/>, <paramref name="columns"/>
    /// per row, each titled with its class name. Features may be (N, H·W) with square images, (N, 1, H, W), or
    /// (N, H, W); pixel values are shown as they are (ink dark on light, larger = darker).
    /// </summary>
    /// <exception cref="ArgumentException">The features are not single-channel images.</exception>
    public static GenericChart Create(LabeledDataset data, int count = 16, int columns = 8)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        var (height, width) = ImageSize(data);
        int k = Math.Min(count, data.Count);
        if (k == 0) throw new ArgumentException("The dataset has no examples to show.", nameof(data));
        int cols = Math.Min(columns, k), rows = (k + cols - 1) / cols;
        var x = data.Features.Data;
        var charts = new List<GenericChart>(k);
        var titles = new List<string>(k);
        for (int i = 0; i < k; i++)
        {
            var z = new float[height][];
            for (int r = 0; r < height; r++) z[r] = x.AsSpan(i * height * width + r * width, width).ToArray();
            string title = data.ClassNames[data.Labels[i]];
            titles.Add(title);
            charts.Add(Plotly.NET.CSharp.Chart.Heatmap<float, int, int, string>(
                zData: z, Name: $"#{i}: {title}", ShowScale: false, ReverseScale: true,
                ColorScale: StyleParam.Colorscale.Greys));
        }
        var grid = Plotly.NET.CSharp.Chart.Grid(charts, rows, cols, SubPlotTitles: titles,
            Pattern: StyleParam.LayoutGridPattern.Independent, XGap: 0.08, YGap: 0.25);
        // Images need no axes; row 0 of an image is its top, so the y axes run downwards.
        for (int i = 1; i <= k; i++)
        {
            // LinearAxis.init takes every one of its ~80 options from C#; setting the two properties is clearer.
            var hiddenX = new LinearAxis();
            hiddenX.SetProperty("visible", false);
            var hiddenY = new LinearAxis();
            hiddenY.SetProperty("visible", false);
            hiddenY.SetProperty("autorange", "reversed");
            grid = Chart.withXAxis(hiddenX, FSharpOption<StyleParam.SubPlotId>.Some(StyleParam.SubPlotId.NewXAxis(i))).Invoke(grid);
            grid = Chart.withYAxis(hiddenY, FSharpOption<StyleParam.SubPlotId>.Some(StyleParam.SubPlotId.NewYAxis(i))).Invoke(grid);
        }
        return Chart.withSize(Math.Max(240.0, 90.0 * cols), Math.Max(160.0, 100.0 * rows)).Invoke(grid);
    }

    // (H, W) of each image: from an (N, 1, H, W) or (N, H, W) shape, or a square (N, H·W).
    private static (int Height, int Width) ImageSize(LabeledDataset data)
    {
        var shape = data.Features.Shape;
        if (shape.Length == 4 && shape[1] == 1) return (shape[2], shape[3]);
        if (shape.Length == 3) return (shape[1], shape[2]);
        int s = (int)Math.Round(Math.Sqrt(data.FeatureLength));
        if (shape.Length == 2 && s * s == data.FeatureLength) return (s, s);
        throw new ArgumentException(
            $"Features {data.Features.ShapeString} are not single-channel images: expected (N, 1, H, W), (N, H, W) or (N, s²).", nameof(data));
    }
}

using Plotly.NET;
using NormCourse.Probes;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace NormCourse.Charts;

/// <summary>
/// Per-layer distributions at one update, one density line per layer — Karpathy's activation and gradient histograms:
/// saturated sigmoid or tanh layers pile up at the ends, vanishing gradients shrink towards zero layer by layer.
/// </summary>
public static class LayerHistogramsChart
{
    /// <summary>
    /// The histograms of kind <paramref name="kind"/> taken at <paramref name="step"/> (default: the last step recorded),
    /// as densities (count / (n · bin width)) so layers of different sizes compare. <paramref name="layerNames"/> names
    /// the legend entries (default "layer i").
    /// </summary>
    public static GenericChart Create(IEnumerable<LayerHistogram> histograms, HistogramKind kind = HistogramKind.Activation, int? step = null,
        IReadOnlyDictionary<int, string>? layerNames = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(histograms);
        var ofKind = histograms.Where(h => h.Kind == kind).ToArray();
        if (ofKind.Length == 0) throw new ArgumentException($"No {kind} histograms to plot.", nameof(histograms));
        int at = step ?? ofKind.Max(h => h.Step);
        var chosen = ofKind.Where(h => h.Step == at).OrderBy(h => h.Layer).ToArray();
        if (chosen.Length == 0) throw new ArgumentException($"No {kind} histograms at step {at}.", nameof(step));
        var lines = chosen.Select(h =>
        {
            double width = (h.High - h.Low) / h.Counts.Length;
            long n = h.Counts.Sum(c => (long)c);
            double[] density = [.. h.Counts.Select(c => width > 0 ? c / (n * width) : c / (double)n)];
            string name = layerNames is not null && layerNames.TryGetValue(h.Layer, out var s) ? s : $"layer {h.Layer}";
            return CSharpChart.Line<double, double, string>(x: h.BinCenters(), y: density,
                Name: $"{name} (mean {h.Mean:G3}, std {h.Std:G3})", ShowLegend: true);
        });
        string what = kind == HistogramKind.Activation ? "Activation" : "Gradient";
        return ChartStyle.Finish(CSharpChart.Combine(lines), title ?? $"{what} distribution per layer (step {at})",
            kind == HistogramKind.Activation ? "Layer output value" : "∂loss/∂(layer output)", "Density (per unit value)");
    }
}

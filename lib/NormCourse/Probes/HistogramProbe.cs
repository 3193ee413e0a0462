using NormCourse.Tensors;

namespace NormCourse.Probes;

/// <summary>
/// Histograms of chosen layers' outputs and output gradients every <see cref="Every"/> updates, with their mean and
/// standard deviation — Karpathy's per-layer activation and gradient plots (Zero to Hero, "makemore part 3").
/// </summary>
public sealed class HistogramProbe : TrainingProbe
{
    private readonly List<LayerHistogram> _records = [];
    private readonly HashSet<int> _layers;

    /// <summary>The layers measured.</summary>
    public IReadOnlyCollection<int> Layers => _layers;

    /// <summary>The number of bins.</summary>
    public int Bins { get; }

    /// <summary>A fixed range for every histogram, or null to use each histogram's own minimum and maximum.
    /// Values outside a fixed range are counted in the end bins, so saturation stays visible.</summary>
    public (double Low, double High)? Range { get; }

    /// <summary>Updates between measurements.</summary>
    public int Every { get; }

    /// <summary>The histograms, in the order taken.</summary>
    public IReadOnlyList<LayerHistogram> Records => _records;

    /// <summary>Measures <paramref name="layers"/> every <paramref name="every"/> updates.</summary>
    public HistogramProbe(IEnumerable<int> layers, int bins = 50, int every = 100, (double Low, double High)? range = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = [.. layers];
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (range is { } r && !(r.Low < r.High)) throw new ArgumentException($"The range ({r.Low}, {r.High}) is empty.", nameof(range));
        Bins = bins;
        Range = range;
        Every = RequireEvery(every);
    }

    /// <inheritdoc />
    public override bool WantsLayerTensors(int step) => IsDue(step, Every);

    /// <inheritdoc />
    public override void OnLayerOutput(int step, int layer, Tensor<float> output)
    {
        if (_layers.Contains(layer) && IsDue(step, Every)) _records.Add(Count(step, layer, HistogramKind.Activation, output.Span));
    }

    /// <inheritdoc />
    public override void OnLayerGradient(int step, int layer, Tensor<float> gradient)
    {
        if (_layers.Contains(layer) && IsDue(step, Every)) _records.Add(Count(step, layer, HistogramKind.Gradient, gradient.Span));
    }

    private LayerHistogram Count(int step, int layer, HistogramKind kind, ReadOnlySpan<float> values)
    {
        double sum = 0, sumSq = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (float v in values)
        {
            sum += v;
            sumSq += (double)v * v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        double mean = sum / values.Length;
        double std = Math.Sqrt(Math.Max(0, sumSq / values.Length - mean * mean));
        var (low, high) = Range ?? (min, max);
        var counts = new int[Bins];
        double width = (high - low) / Bins;
        foreach (float v in values)
        {
            // A constant tensor (width 0) lands in the first bin.
            int bin = width > 0 ? (int)Math.Floor((v - low) / width) : 0;
            counts[Math.Clamp(bin, 0, Bins - 1)]++;
        }
        return new LayerHistogram(step, layer, kind, low, high, counts, mean, std);
    }
}

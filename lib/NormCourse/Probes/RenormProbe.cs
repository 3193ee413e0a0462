using NormCourse.Layers;
using NormCourse.Normalization;

namespace NormCourse.Probes;

/// <summary>
/// Records Batch Renorm's r and d (Ioffe 2017) of one layer every <see cref="Every"/> updates: their spread over the
/// layer's units and the clipping bounds rMax, dMax in force, so a chart can show the corrections growing as the
/// schedule relaxes the bounds. The values are those the layer used in the update's training forward pass
/// (<see cref="BatchRenorm{T}.LastR"/>, <see cref="BatchRenorm{T}.LastD"/>), read before the optimizer step.
/// </summary>
public sealed class RenormProbe : TrainingProbe
{
    private const double AtBound = 1e-12;
    private readonly List<RenormRecord> _records = [];
    private readonly int? _requestedLayer;
    private BatchRenorm<float>? _layer;

    /// <summary>Updates between measurements.</summary>
    public int Every { get; }

    /// <summary>The index of the measured layer (known after <see cref="Attach"/>).</summary>
    public int Layer { get; private set; } = -1;

    /// <summary>The measurements, one per measured update.</summary>
    public IReadOnlyList<RenormRecord> Records => _records;

    /// <summary>Measures layer <paramref name="layer"/> (null: the network's first Batch Renorm layer) every <paramref name="every"/> updates.</summary>
    public RenormProbe(int? layer = null, int every = 1)
    {
        if (layer is < 0) throw new ArgumentOutOfRangeException(nameof(layer), layer, "A layer index must be ≥ 0.");
        _requestedLayer = layer;
        Every = RequireEvery(every);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The requested layer is not a Batch Renorm layer, or the network has none.</exception>
    public override void Attach(Sequential<float> model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_requestedLayer is { } index)
        {
            if (index >= model.Layers.Count || model.Layers[index] is not BatchRenorm<float> chosen)
                throw new ArgumentException($"Layer {index} of the network is not a Batch Renorm layer.", nameof(model));
            (_layer, Layer) = (chosen, index);
            return;
        }
        Layer = model.Layers.ToList().FindIndex(l => l is BatchRenorm<float>);
        if (Layer < 0) throw new ArgumentException("The network has no Batch Renorm layer to probe.", nameof(model));
        _layer = (BatchRenorm<float>)model.Layers[Layer];
    }

    /// <inheritdoc />
    public override void BeforeUpdate(ProbeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsDue(context.Step, Every)) return;
        var layer = _layer ?? throw new InvalidOperationException("The probe was not attached to a network.");
        ReadOnlySpan<double> r = layer.LastR, d = layer.LastD;
        double minR = double.PositiveInfinity, maxR = double.NegativeInfinity, sumR = 0, sumD = 0, maxD = 0;
        int clipped = 0;
        for (int c = 0; c < r.Length; c++)
        {
            minR = Math.Min(minR, r[c]);
            maxR = Math.Max(maxR, r[c]);
            sumR += Math.Abs(r[c] - 1);
            sumD += Math.Abs(d[c]);
            maxD = Math.Max(maxD, Math.Abs(d[c]));
            bool rAtBound = Math.Abs(r[c] - layer.RMax) <= AtBound || Math.Abs(r[c] - 1 / layer.RMax) <= AtBound;
            bool dAtBound = Math.Abs(Math.Abs(d[c]) - layer.DMax) <= AtBound;
            if (rAtBound || dAtBound) clipped++;
        }
        _records.Add(new RenormRecord(context.Step, Layer, layer.RMax, layer.DMax, minR, maxR, sumR / r.Length, sumD / r.Length, maxD,
            (double)clipped / r.Length));
    }
}

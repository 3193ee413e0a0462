using NormCourse.Models;
using NormCourse.Tensors;

namespace NormCourse.Probes;

/// <summary>
/// The fraction of saturated units at chosen activation layers, every <see cref="Every"/> updates. A tanh output y
/// is saturated when |y| &gt; <see cref="Threshold"/> (Karpathy's 0.97); a sigmoid output when |2y − 1| &gt; threshold,
/// the same test on the tanh scale since 2σ(x) − 1 = tanh(x/2); a ReLU output is dead when y ≤ 0.
/// In a saturated unit the local derivative is nearly zero, so little gradient flows back through it.
/// </summary>
public sealed class SaturationProbe : TrainingProbe
{
    private readonly List<SaturationRecord> _records = [];
    private readonly Dictionary<int, Activation> _layers;

    /// <summary>The activation layers measured and their kind.</summary>
    public IReadOnlyDictionary<int, Activation> Layers => _layers;

    /// <summary>The saturation threshold on the tanh scale, in (0, 1).</summary>
    public double Threshold { get; }

    /// <summary>Updates between measurements.</summary>
    public int Every { get; }

    /// <summary>The measurements, in the order taken.</summary>
    public IReadOnlyList<SaturationRecord> Records => _records;

    /// <summary>Measures the given activation layers (index → kind).</summary>
    public SaturationProbe(IReadOnlyDictionary<int, Activation> layers, double threshold = 0.97, int every = 1)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (!(threshold > 0 && threshold < 1)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be in (0, 1).");
        _layers = new Dictionary<int, Activation>(layers);
        Threshold = threshold;
        Every = RequireEvery(every);
    }

    /// <inheritdoc />
    public override bool WantsLayerTensors(int step) => IsDue(step, Every);

    /// <inheritdoc />
    public override void OnLayerOutput(int step, int layer, Tensor<float> output)
    {
        if (!IsDue(step, Every) || !_layers.TryGetValue(layer, out var kind)) return;
        int saturated = 0;
        foreach (float y in output.Span)
        {
            bool isSaturated = kind switch
            {
                Activation.Tanh => Math.Abs(y) > Threshold,
                Activation.Sigmoid => Math.Abs(2.0 * y - 1.0) > Threshold,
                _ => y <= 0,
            };
            if (isSaturated) saturated++;
        }
        _records.Add(new SaturationRecord(step, layer, (double)saturated / output.Length));
    }
}

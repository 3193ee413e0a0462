using NormCourse.Tensors;

namespace NormCourse.Probes;

/// <summary>
/// Percentiles of chosen units of one layer's output over each minibatch, every <see cref="Every"/> updates —
/// Ioffe &amp; Szegedy 2015 Fig. 1(b, c), where the layer is the one feeding a sigmoid (the sigmoid's input) and
/// the percentiles are 15, 50 and 85.
/// </summary>
public sealed class PercentileProbe : TrainingProbe
{
    private readonly List<PercentileRecord> _records = [];
    private double[] _values = [];

    /// <summary>The index of the layer whose output is measured (in the trained <c>Sequential</c>).</summary>
    public int Layer { get; }

    /// <summary>The units (features or channels) measured.</summary>
    public IReadOnlyList<int> UnitIndices { get; }

    /// <summary>The percentiles, each in [0, 100].</summary>
    public IReadOnlyList<double> Percentiles { get; }

    /// <summary>Updates between measurements.</summary>
    public int Every { get; }

    /// <summary>The measurements, in step order, one per unit per measured step.</summary>
    public IReadOnlyList<PercentileRecord> Records => _records;

    /// <summary>Measures <paramref name="units"/> of layer <paramref name="layer"/>'s output (default percentiles 15, 50, 85).</summary>
    public PercentileProbe(int layer, IReadOnlyList<int> units, IReadOnlyList<double>? percentiles = null, int every = 1)
    {
        ArgumentNullException.ThrowIfNull(units);
        if (units.Count == 0) throw new ArgumentException("Choose at least one unit to measure.", nameof(units));
        Layer = layer;
        UnitIndices = [.. units];
        Percentiles = [.. percentiles ?? [15.0, 50.0, 85.0]];
        foreach (double p in Percentiles)
            if (!(p >= 0 && p <= 100)) throw new ArgumentOutOfRangeException(nameof(percentiles), p, "A percentile must be in [0, 100].");
        Every = RequireEvery(every);
    }

    /// <inheritdoc />
    public override bool WantsLayerTensors(int step) => IsDue(step, Every);

    /// <inheritdoc />
    public override void OnLayerOutput(int step, int layer, Tensor<float> output)
    {
        if (layer != Layer || !IsDue(step, Every)) return;
        int m = Units.ValuesPerUnit(output);
        if (_values.Length != m) _values = new double[m];
        foreach (int unit in UnitIndices)
        {
            Units.Copy(output, unit, _values);
            _records.Add(new PercentileRecord(step, unit, Probes.Percentiles.Of(_values, Percentiles)));
        }
    }
}

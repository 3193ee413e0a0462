using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Probes;

/// <summary>
/// Batch statistics vs running statistics of every layer that keeps running statistics (a <c>running_mean</c>
/// buffer and a <c>running_var</c> or, for Batch Renorm, <c>running_std</c>), every <see cref="Every"/> updates.
/// The batch statistics are those of the layer's input (the previous layer's output), per feature of an (N, F)
/// input or per channel of an (N, C, H, W) input, as BatchNorm computes them.
/// </summary>
public sealed class RunningStatsProbe : TrainingProbe
{
    private readonly List<RunningStatsRecord> _records = [];
    private readonly Dictionary<int, (Tensor<float> Mean, Tensor<float> Spread, bool IsStd)> _tracked = [];

    /// <summary>Updates between measurements.</summary>
    public int Every { get; }

    /// <summary>The layers found to keep running statistics (known after <see cref="Attach"/>).</summary>
    public IEnumerable<int> Layers => _tracked.Keys.Order();

    /// <summary>The measurements, one per tracked layer per measured step.</summary>
    public IReadOnlyList<RunningStatsRecord> Records => _records;

    /// <summary>Measures every <paramref name="every"/> updates.</summary>
    public RunningStatsProbe(int every = 1) => Every = RequireEvery(every);

    /// <inheritdoc />
    public override void Attach(Sequential<float> model)
    {
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var buffers = model.Layers[i].NamedBuffers().ToDictionary(b => b.Name, b => b.Buffer);
            if (!buffers.TryGetValue("running_mean", out var mean)) continue;
            if (buffers.TryGetValue("running_var", out var variance)) _tracked[i] = (mean, variance, false);
            else if (buffers.TryGetValue("running_std", out var std)) _tracked[i] = (mean, std, true);
        }
    }

    /// <inheritdoc />
    public override bool WantsLayerTensors(int step) => IsDue(step, Every);

    /// <inheritdoc />
    public override void OnLayerOutput(int step, int layer, Tensor<float> output)
    {
        // The output of layer i − 1 is the input of layer i; its running buffers still hold the estimate before this step.
        if (!IsDue(step, Every) || !_tracked.TryGetValue(layer + 1, out var running)) return;
        var (batchMean, batchVar) = Units.MeanAndUnbiasedVar(output);
        var runningMean = running.Mean.Span.ToArray().Select(v => (double)v).ToArray();
        var runningVar = running.Spread.Span.ToArray().Select(v => running.IsStd ? (double)v * v : v).ToArray();
        _records.Add(new RunningStatsRecord(step, layer + 1, batchMean, batchVar, runningMean, runningVar));
    }
}

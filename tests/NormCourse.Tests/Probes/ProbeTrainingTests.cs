using NormCourse.Data;
using NormCourse.Layers;
using NormCourse.Models;
using NormCourse.Probes;
using NormCourse.Tensors;
using NormCourse.Tests.Training;
using NormCourse.Training;
using Zoo = NormCourse.Models.Models;

namespace NormCourse.Tests.Probes;

/// <summary>Probes attached to a real training run of a tiny network.</summary>
public class ProbeTrainingTests
{
    private static readonly MlpConfig Net = new([8, 6, 6, 3]) { Activation = Activation.Sigmoid, Norm = NormKind.BatchNorm };
    private static readonly TrainingOptions Options = new() { Steps = 12, BatchSize = 20, Seed = 5, EvalEvery = 6 };

    private static TrainingHistory Train(IReadOnlyList<TrainingProbe>? probes, MlpConfig? config = null)
    {
        var model = Zoo.Mlp<float>(config ?? Net, 0);
        return Trainer.Train(model, new Sgd<float>(model.Parameters(), 0.5, momentum: 0.9), TinyData.Blobs(), Options, probes);
    }

    [Fact]
    public void PercentilesOfTheFirstStepMatchAHandForwardPassOfTheFirstBatch()
    {
        var probe = new PercentileProbe(layer: 1, units: [0, 4], percentiles: [15, 50, 85], every: 4);
        Train([probe]);
        Assert.Equal([0, 0, 4, 4, 8, 8], probe.Records.Select(r => r.Step));

        // By hand: the same initial network, the sampler's first batch, Linear then BatchNorm's training formula.
        var model = Zoo.Mlp<float>(Net, 0);
        var data = TinyData.Blobs();
        var batch = new MinibatchSampler(data.Train.Count, 20, 5, dropLast: true).Batches(0).First();
        var x = Tensor<float>.Zeros(20, 8);
        data.Train.Gather(batch.Span, x, new int[20]);
        var linear = (Linear<float>)model.Layers[0];
        foreach (var (unit, record) in new[] { (0, probe.Records[0]), (4, probe.Records[1]) })
        {
            var z = new double[20];
            for (int n = 0; n < 20; n++)
            {
                z[n] = linear.Bias!.Value.Span[unit];
                for (int j = 0; j < 8; j++) z[n] += (double)x.Span[n * 8 + j] * linear.Weight.Value.Span[unit * 8 + j];
            }
            double mean = z.Average(), variance = z.Average(v => (v - mean) * (v - mean));
            var normalized = z.Select(v => (v - mean) / Math.Sqrt(variance + 1e-5)).Order().ToArray(); // γ = 1, β = 0 at step 0
            // Linear interpolation between order statistics: 15th of 20 values sits at (20 − 1)·0.15 = 2.85.
            double p15 = normalized[2] + 0.85 * (normalized[3] - normalized[2]);
            double p50 = (normalized[9] + normalized[10]) / 2;
            double p85 = normalized[16] + 0.15 * (normalized[17] - normalized[16]);
            Assert.Equal(unit, record.Unit);
            Assert.Equal(p15, record.Values[0], 4);
            Assert.Equal(p50, record.Values[1], 4);
            Assert.Equal(p85, record.Values[2], 4);
        }
    }

    [Fact]
    public void ProbesDoNotChangeTheRunsNumbers()
    {
        var without = Train(null);
        var model = Zoo.Mlp<float>(Net, 0);
        TrainingProbe[] probes =
        [
            new PercentileProbe(1, [0]), new HistogramProbe([0, 1, 2], every: 3), new SaturationProbe(ModelLayers.Activations(model)),
            new GradientProbe(every: 2), new NormParameterProbe(), new RunningStatsProbe(every: 3),
            new LandscapeProbe([0, 5], [0.1, 1.0, 4.0]), new CovariateShiftProbe([2, 7]),
        ];
        var with = Train(probes);
        Assert.True(without.SameNumbers(with));
        Assert.All(probes.OfType<HistogramProbe>(), p => Assert.Equal(4 * 3 * 2, p.Records.Count)); // steps 0, 3, 6, 9 × 3 layers × 2 kinds
        Assert.Equal(2, probes.OfType<LandscapeProbe>().Single().Records.Count);
        Assert.Equal(2 * 5, probes.OfType<CovariateShiftProbe>().Single().Records.Count); // 3 Linear + 2 BatchNorm layers
        Assert.Equal(["1.weight", "1.bias", "4.weight", "4.bias"], probes.OfType<NormParameterProbe>().Single().ParameterNames);
        Assert.Equal([1, 4], probes.OfType<RunningStatsProbe>().Single().Layers);
    }

    [Fact]
    public void RunningStatsProbeSeesTheRunningEstimateBeforeEachUpdate()
    {
        var probe = new RunningStatsProbe(every: 1);
        Train([probe]);
        var first = probe.Records.Where(r => r.Layer == 1).ToArray();
        // Step 0: running stats are still the initial 0 and 1; from then on they move towards the batch statistics
        // by momentum 0.1: running_1 = 0.9·0 + 0.1·mean_0.
        Assert.All(first[0].RunningMean, m => Assert.Equal(0.0, m));
        Assert.All(first[0].RunningVar, v => Assert.Equal(1.0, v));
        for (int u = 0; u < first[0].BatchMean.Length; u++)
            Assert.Equal(0.1 * first[0].BatchMean[u], first[1].RunningMean[u], 5);
    }

    [Fact]
    public void GammaAndBetaStartAtOneAndZeroAndMove()
    {
        var probe = new NormParameterProbe(every: 11);
        Train([probe]);
        var gamma = probe.Records.Where(r => r.Parameter == "1.weight").ToArray();
        Assert.Equal([0, 11], gamma.Select(r => r.Step));
        Assert.All(gamma[0].Values, g => Assert.Equal(1f, g));
        Assert.NotEqual(gamma[0].Values, gamma[1].Values);
    }

    [Fact]
    public void SaturationOfASigmoidNetworkIsAFraction()
    {
        var model = Zoo.Mlp<float>(Net, 0);
        var probe = new SaturationProbe(ModelLayers.Activations(model), every: 6);
        Train([probe]);
        Assert.Equal(4, probe.Records.Count); // steps 0 and 6, two sigmoid layers
        Assert.All(probe.Records, r => Assert.InRange(r.Fraction, 0, 1));
    }

    [Fact]
    public void LayerHooksAreCalledOnlyOnTheStepsAProbeAsksFor()
    {
        var probe = new CountingProbe(every: 5);
        Train([probe]);
        // Steps 0, 5, 10: the input (layer −1) and 7 layer outputs forward, 7 gradients backward, each step.
        Assert.Equal([0, 5, 10], probe.OutputSteps.Distinct());
        Assert.Equal(3 * 8, probe.OutputSteps.Count);
        Assert.Equal(3 * 7, probe.GradientCalls);
        Assert.Equal(12, probe.UpdateCalls); // BeforeUpdate is every step: the probe decides what to do there
    }

    private sealed class CountingProbe(int every) : TrainingProbe
    {
        public List<int> OutputSteps { get; } = [];

        public int GradientCalls { get; private set; }

        public int UpdateCalls { get; private set; }

        public override bool WantsLayerTensors(int step) => step % every == 0;

        public override void OnLayerOutput(int step, int layer, Tensor<float> output) => OutputSteps.Add(step);

        public override void OnLayerGradient(int step, int layer, Tensor<float> gradient) => GradientCalls++;

        public override void BeforeUpdate(ProbeContext context) => UpdateCalls++;
    }
}

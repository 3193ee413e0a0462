using NormCourse.Charts;
using NormCourse.Models;
using NormCourse.Probes;
using NormCourse.Tests.Training;
using NormCourse.Training;
using Zoo = NormCourse.Models.Models;

namespace NormCourse.Tests.Charts;

public class ProbeChartTests
{
    private static readonly MlpConfig Net = new([8, 6, 6, 3]) { Activation = Activation.Tanh, Norm = NormKind.BatchNorm };

    private static void Train(params TrainingProbe[] probes)
    {
        var model = Zoo.Mlp<float>(Net, 0);
        Trainer.Train(model, new Sgd<float>(model.Parameters(), 0.2), TinyData.Blobs(), new TrainingOptions { Steps = 10, BatchSize = 20, EvalEvery = 0 }, probes);
    }

    [Fact]
    public void LandscapeBandsSpanTheMinimumAndMaximumOverStepSizes()
    {
        var bn = new LandscapeProbe([0, 4, 8], [0.1, 1.0, 3.0]);
        Train(bn);
        var json = new ChartJson(LandscapeChart.Create([("BN", bn)]));
        Assert.Equal(["BN: min over η", "BN: max over η", "BN: L(θ)"], json.TraceNames);
        Assert.Equal([0.0, 4, 8], ChartJson.Numbers(json.Traces[0].GetProperty("x")));
        Assert.Equal(bn.Records.Select(r => Math.Round(r.Losses.Min(), 9)), ChartJson.Numbers(json.Traces[0].GetProperty("y")).Select(v => Math.Round(v, 9)));
        Assert.Equal(bn.Records.Select(r => Math.Round(r.Losses.Max(), 9)), ChartJson.Numbers(json.Traces[1].GetProperty("y")).Select(v => Math.Round(v, 9)));
        Assert.Equal("L(θ − ηg) (nats)", json.AxisTitle("yaxis"));
        var beta = new ChartJson(LandscapeChart.Create([("BN", bn)], LandscapeMeasure.BetaSmoothness));
        Assert.Equal(bn.Records.Select(r => Math.Round(r.BetaSmoothness, 9)), ChartJson.Numbers(beta.Traces[0].GetProperty("y")).Select(v => Math.Round(v, 9)));
    }

    [Fact]
    public void TimelinesHaveALinePerParameterOrLayer()
    {
        var gradients = new GradientProbe(every: 2);
        var saturation = new SaturationProbe(ModelLayers.Activations(Zoo.Mlp<float>(Net, 0)), every: 2);
        var running = new RunningStatsProbe(every: 2);
        var gammas = new NormParameterProbe(every: 2);
        var shift = new CovariateShiftProbe([1, 5]);
        Train(gradients, saturation, running, gammas, shift);

        var ratios = new ChartJson(ProbeTimelineChart.UpdateToData(gradients));
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias", "4.weight", "4.bias", "6.weight", "6.bias"], ratios.TraceNames);
        var first = gradients.Records.Where(r => r.Parameter == "0.weight").Select(r => Math.Log10(r.UpdateToData));
        Assert.Equal(first.Select(v => Math.Round(v, 9)), ChartJson.Numbers(ratios.Traces[0].GetProperty("y")).Select(v => Math.Round(v, 9)));
        Assert.Equal("log₁₀(std(Δθ) / std(θ))", ratios.AxisTitle("yaxis"));
        // γ starts at 1 and β at 0 everywhere, so their update ratio at step 0 is undefined (std 0) and left out.
        Assert.Equal(4, ChartJson.Numbers(ratios.Traces[3].GetProperty("x")).Length);

        Assert.Equal(["layer 2 (Tanh)", "layer 5 (Tanh)"], new ChartJson(ProbeTimelineChart.Saturation(saturation)).TraceNames);
        Assert.Equal(["layer 1: mean gap", "layer 4: mean gap", "layer 1: variance gap", "layer 4: variance gap"],
            new ChartJson(ProbeTimelineChart.RunningStatsGap(running)).TraceNames);
        var gamma = new ChartJson(ProbeTimelineChart.NormParameters(gammas));
        Assert.Equal(["1.weight (mean)", "1.bias (mean)", "4.weight (mean)", "4.bias (mean)"], gamma.TraceNames);
        Assert.Equal(1.0, ChartJson.Numbers(gamma.Traces[0].GetProperty("y"))[0]);
        var ics = new ChartJson(ProbeTimelineChart.CovariateShift(shift, cosine: true));
        Assert.Equal(["layer 0", "layer 1", "layer 3", "layer 4", "layer 6"], ics.TraceNames);
        Assert.Equal(shift.Records.Where(r => r.Layer == 3).Select(r => Math.Round(r.Cosine, 9)),
            ChartJson.Numbers(ics.Traces[2].GetProperty("y")).Select(v => Math.Round(v, 9)));
        Assert.Equal("Gradient norm per parameter", new ChartJson(ProbeTimelineChart.GradientNorms(gradients)).Title);
    }
}

using NormCourse.Layers;
using NormCourse.Models;
using NormCourse.Probes;
using NormCourse.Tensors;
using NormCourse.Training;

namespace NormCourse.Tests.Probes;

public class ProbeTests
{
    private static ProbeContext Context(int step, Sequential<float> model, double loss = 0, Func<double>? reevaluate = null) =>
        new(step, model, 0.1, loss, reevaluate ?? (() => throw new InvalidOperationException("not used")));

    [Fact]
    public void PercentilesInterpolateLinearlyAsNumPy()
    {
        // numpy.percentile([1, 2, 3, 4, 5], [15, 50, 85]) = [1.6, 3.0, 4.4]
        Span<double> v = [3, 1, 5, 2, 4];
        Assert.Equal([1.6, 3.0, 4.4], Percentiles.Of(v, [15, 50, 85]).Select(x => Math.Round(x, 12)));
        Assert.Throws<ArgumentException>(() => Percentiles.OfSorted([], 50));
    }

    [Fact]
    public void PercentileProbeMeasuresTheChosenUnitOfTheChosenLayerOnDueSteps()
    {
        var probe = new PercentileProbe(layer: 1, units: [1], every: 2);
        // (5, 2): unit 1 holds 30, 10, 50, 20, 40.
        var output = Tensor<float>.FromArray([0, 30, 0, 10, 0, 50, 0, 20, 0, 40], 5, 2);
        probe.OnLayerOutput(0, 0, output);  // another layer: ignored
        probe.OnLayerOutput(0, 1, output);
        probe.OnLayerOutput(1, 1, output);  // not due
        probe.OnLayerOutput(2, 1, output);
        Assert.Equal([0, 2], probe.Records.Select(r => r.Step));
        Assert.Equal([16.0, 30.0, 44.0], probe.Records[0].Values.Select(x => Math.Round(x, 9)));
        Assert.False(probe.WantsLayerTensors(1));
        Assert.True(probe.WantsLayerTensors(4));
    }

    [Fact]
    public void PercentileProbeGroupsImagesByChannel()
    {
        var probe = new PercentileProbe(0, [1], [0, 100]);
        // (2, 2, 1, 2): channel 1 holds 2, 3 (sample 0) and 6, 7 (sample 1).
        probe.OnLayerOutput(0, 0, Tensor<float>.FromArray([0, 1, 2, 3, 4, 5, 6, 7], 2, 2, 1, 2));
        Assert.Equal([2.0, 7.0], probe.Records[0].Values);
    }

    [Fact]
    public void HistogramCountsEqualWidthBinsWithTheMaximumInTheLastBin()
    {
        var probe = new HistogramProbe([3], bins: 4, every: 1);
        probe.OnLayerOutput(0, 3, Tensor<float>.FromArray([4, 0, 2, 1, 3], 5, 1));
        probe.OnLayerGradient(0, 3, Tensor<float>.FromArray([-1, 1], 2, 1));
        probe.OnLayerOutput(0, 2, Tensor<float>.FromArray([4], 1, 1));
        var act = probe.Records[0];
        Assert.Equal(HistogramKind.Activation, act.Kind);
        Assert.Equal([1, 1, 1, 2], act.Counts);
        Assert.Equal((0.0, 4.0, 2.0), (act.Low, act.High, act.Mean));
        Assert.Equal(Math.Sqrt(2), act.Std, 12);
        Assert.Equal([0.5, 1.5, 2.5, 3.5], act.BinCenters());
        var grad = probe.Records[1];
        Assert.Equal(HistogramKind.Gradient, grad.Kind);
        Assert.Equal([1, 0, 0, 1], grad.Counts);
        Assert.Equal(2, probe.Records.Count);
    }

    [Fact]
    public void HistogramWithAFixedRangeCountsOutliersInTheEndBins()
    {
        var probe = new HistogramProbe([0], bins: 2, range: (-1, 1));
        probe.OnLayerOutput(0, 0, Tensor<float>.FromArray([-5, -0.5f, 0.5f, 9], 4, 1));
        Assert.Equal([2, 2], probe.Records[0].Counts);
    }

    [Fact]
    public void SaturationUsesTheTanhScaleForSigmoidAndZeroForReLU()
    {
        var probe = new SaturationProbe(new Dictionary<int, Activation> { [0] = Activation.Tanh, [1] = Activation.Sigmoid, [2] = Activation.ReLU });
        probe.OnLayerOutput(0, 0, Tensor<float>.FromArray([0.99f, -0.98f, 0.5f, 0.1f], 2, 2));
        probe.OnLayerOutput(0, 1, Tensor<float>.FromArray([0.999f, 0.5f, 0.001f, 0.9f], 2, 2));
        probe.OnLayerOutput(0, 2, Tensor<float>.FromArray([0, 1, 0, 2, 3, 4, 5, 0], 4, 2));
        Assert.Equal([0.5, 0.5, 0.375], probe.Records.Select(r => r.Fraction));
    }

    [Fact]
    public void GradientProbeRecordsNormsAndTheActualUpdateRatio()
    {
        var layer = new FakeNorm([1, 2, 3, 4], [0], [1]);
        var model = new Sequential<float>(layer);
        var probe = new GradientProbe();
        probe.Attach(model);
        float[] grad = [1, -1, 2, 0];
        grad.CopyTo(layer.Weight.Grad.Span);
        var sgd = new Sgd<float>(model.Parameters(), 0.1);
        probe.BeforeUpdate(Context(0, model));
        sgd.Step();
        probe.AfterUpdate(Context(0, model));
        var r = Assert.Single(probe.Records);
        Assert.Equal("0.weight", r.Parameter);
        Assert.Equal(Math.Sqrt(6), r.GradNorm, 6);
        Assert.Equal(Math.Sqrt(1.25), r.GradStd, 6);   // values 1, −1, 2, 0: mean 0.5, Σ(x−0.5)² = 5
        Assert.Equal(Math.Sqrt(1.25), r.DataStd, 6);   // values 1, 2, 3, 4
        Assert.Equal(0.1, r.UpdateToData, 5);          // Δθ = −0.1·g, so std(Δθ)/std(θ) = 0.1·1.118/1.118
    }

    [Fact]
    public void NormParameterProbeCopiesTheNamedParameters()
    {
        var layer = new FakeNorm([1, 2], [0], [1]);
        var model = new Sequential<float>(new ScalarScale(1), layer);
        var probe = new NormParameterProbe(every: 1, parameters: ["1.weight"]);
        probe.Attach(model);
        probe.BeforeUpdate(Context(0, model));
        layer.Weight.Value.Span[0] = 5;
        probe.BeforeUpdate(Context(1, model));
        Assert.Equal([1f, 2f], probe.Records[0].Values);
        Assert.Equal([5f, 2f], probe.Records[1].Values);
        Assert.Equal(3.5, probe.Records[1].Mean);
        Assert.Throws<ArgumentException>(() => new NormParameterProbe(parameters: ["9.weight"]).Attach(model));
    }

    [Fact]
    public void RunningStatsProbeComparesTheInputsBatchStatisticsWithTheRunningOnes()
    {
        var model = new Sequential<float>(new ScalarScale(1), new FakeNorm([1, 1], [0.5f, 0], [1, 2]));
        var probe = new RunningStatsProbe();
        probe.Attach(model);
        Assert.Equal([1], probe.Layers);
        // Output of layer 0 = input of layer 1: column 0 = 1, 2, 3 (mean 2, var 1); column 1 = 0, 0, 6 (mean 2, var 12).
        probe.OnLayerOutput(0, 0, Tensor<float>.FromArray([1, 0, 2, 0, 3, 6], 3, 2));
        probe.OnLayerOutput(0, 1, Tensor<float>.FromArray([1, 0, 2, 0, 3, 6], 3, 2)); // the last layer's output: nothing follows
        var r = Assert.Single(probe.Records);
        Assert.Equal(1, r.Layer);
        Assert.Equal([2.0, 2.0], r.BatchMean);
        Assert.Equal([1.0, 12.0], r.BatchVar);
        Assert.Equal(1.75, r.MeanGap, 12);
        Assert.Equal(5.0, r.VarGap, 12);
    }

    [Fact]
    public void LandscapeMatchesTheClosedFormOfAQuadraticLoss()
    {
        // L(w) = mean over (x, y) ∈ {(1, 1), (2, 0)} of ½(w·x − y)² = ((w − 1)² + 4w²)/4; ∇L = 2.5w − 0.5; curvature 2.5.
        var layer = new ScalarScale(1.0);
        var model = new Sequential<float>(layer);
        var x = Tensor<float>.FromArray([1, 2], 2, 1);
        float[] y = [1, 0];
        double Reevaluate()
        {
            model.ZeroGrad();
            var o = model.Forward(x);
            var g = Tensor<float>.Zeros(2, 1);
            double loss = 0;
            for (int i = 0; i < 2; i++)
            {
                loss += 0.5 * Math.Pow(o.Span[i] - y[i], 2) / 2;
                g.Span[i] = (o.Span[i] - y[i]) / 2;
            }
            model.Backward(g);
            return loss;
        }
        double loss0 = Reevaluate();
        Assert.Equal(2.0f, layer.W.Grad.Span[0]);
        var probe = new LandscapeProbe([0], [0.1, 0.5]);
        probe.Attach(model);
        probe.BeforeUpdate(Context(0, model, loss0, Reevaluate));
        var r = Assert.Single(probe.Records);
        Assert.Equal(1.0, r.Loss, 6);
        Assert.Equal(2.0, r.GradientNorm, 6);
        Assert.Equal([0.65, 0.25], r.Losses.Select(v => Math.Round(v, 5)));       // w = 0.8, w = 0
        Assert.Equal([0.5, 2.5], r.GradientChanges.Select(v => Math.Round(v, 5))); // |2 − 1.5|, |2 − (−0.5)|
        Assert.Equal(0.4, r.LossRange, 5);
        Assert.Equal(2.5, r.BetaSmoothness, 5);
        // Parameters and gradient are put back.
        Assert.Equal(1.0f, layer.W.Value.Span[0]);
        Assert.Equal(2.0f, layer.W.Grad.Span[0]);
    }

    [Fact]
    public void CovariateShiftIsTheGradientChangeFromTheEarlierLayersUpdate()
    {
        // y = w₂·(w₁·x), L = mean ½(y − t)² over (x, t) ∈ {(1, 1), (2, 0)}, w₁ = 1, w₂ = 0.5, SGD with lr 1.
        // r = w₂w₁x − t = (−0.5, 1); ∂L/∂w₂ = mean(r·w₁x) = 0.75; ∂L/∂w₁ = mean(r·w₂x) = 0.375; so w₁′ = 0.625.
        // G′ of layer 1 at (w₁′, w₂): r = (−0.6875, 0.625), ∂L/∂w₂ = mean(r·w₁′x) = 0.17578125.
        var l1 = new ScalarScale(1.0);
        var l2 = new ScalarScale(0.5);
        var model = new Sequential<float>(l1, l2);
        var x = Tensor<float>.FromArray([1, 2], 2, 1);
        float[] t = [1, 0];
        double Reevaluate()
        {
            model.ZeroGrad();
            var y = model.Forward(x);
            var g = Tensor<float>.Zeros(2, 1);
            double loss = 0;
            for (int i = 0; i < 2; i++)
            {
                loss += 0.5 * Math.Pow(y.Span[i] - t[i], 2) / 2;
                g.Span[i] = (y.Span[i] - t[i]) / 2;
            }
            model.Backward(g);
            return loss;
        }
        var probe = new CovariateShiftProbe([0]);
        probe.Attach(model);
        double loss0 = Reevaluate();
        var context = Context(0, model, loss0, Reevaluate);
        probe.BeforeUpdate(context);
        new Sgd<float>(model.Parameters(), 1.0).Step();
        probe.AfterUpdate(context);
        Assert.Equal([0, 1], probe.Records.Select(r => r.Layer));
        Assert.Equal(0.0, probe.Records[0].Difference, 6);     // nothing comes before the first layer
        Assert.Equal(0.75 - 0.17578125, probe.Records[1].Difference, 6);
        Assert.Equal(1.0, probe.Records[1].Cosine, 6);
        // The parameters are left where the optimizer put them, the gradients where backward put them.
        Assert.Equal((0.625f, -0.25f), (l1.W.Value.Span[0], l2.W.Value.Span[0]));
        Assert.Equal((0.375f, 0.75f), (l1.W.Grad.Span[0], l2.W.Grad.Span[0]));
    }

    [Fact]
    public void NoisyShiftScaleWithoutSpreadIsTheAffineMapOfItsMeans()
    {
        var layer = new NoisyShiftScale<double>(new NoiseSpec(ScaleMean: 2, ShiftMean: -1), new Random(0));
        var y = layer.Forward(Tensor<double>.FromArray([1, 2, 3], 3, 1));
        Assert.Equal([1.0, 3.0, 5.0], y.Data);
        Assert.Equal([2.0, 2.0, 2.0], layer.Backward(Tensor<double>.Full(1.0, 3, 1)).Data);
        layer.Eval();
        Assert.Equal([1.0, 2.0, 3.0], layer.Forward(Tensor<double>.FromArray([1, 2, 3], 3, 1)).Data);
    }

    [Fact]
    public void NoisyShiftScaleDrawsFreshNoiseOfTheRequestedMomentsEveryForward()
    {
        var layer = new NoisyShiftScale<double>(new NoiseSpec(ScaleMean: 1.5, ScaleStd: 0.5, ShiftMean: 0.5, ShiftStd: 0.25), new Random(1));
        var zeros = Tensor<double>.Zeros(20000, 1);
        var shifts = layer.Forward(zeros).Data;
        Assert.Equal(0.5, shifts.Average(), 2);
        Assert.Equal(0.25, Math.Sqrt(shifts.Select(b => (b - shifts.Average()) * (b - shifts.Average())).Average()), 2);
        var ones = Tensor<double>.Full(1.0, 20000, 1);
        var first = layer.Forward(ones).Clone().Data;
        var scales = layer.Backward(Tensor<double>.Full(1.0, 20000, 1)).Data;
        Assert.Equal(1.5, scales.Average(), 2);
        var second = layer.Forward(ones).Data;
        Assert.NotEqual(first, second);
    }
}

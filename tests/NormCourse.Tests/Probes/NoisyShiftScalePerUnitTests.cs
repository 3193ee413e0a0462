using NormCourse.Models;
using NormCourse.Probes;
using NormCourse.Tensors;

namespace NormCourse.Tests.Probes;

public class NoisyShiftScalePerUnitTests
{
    private static readonly NoiseSpec PerUnit = new(ScaleMean: 2, ScaleStd: 0.5, ShiftMean: 1, ShiftStd: 1) { PerUnit = true };

    [Fact]
    public void OneScaleAndShiftPerUnitAreSharedByEverySampleAndPosition()
    {
        var layer = new NoisyShiftScale<double>(PerUnit, new Random(3));
        // (N=4, C=3, L=2), every value 1: y = s_c + b_c, the same for all 8 values of unit c.
        var y = layer.Forward(Tensor<double>.Full(1.0, 4, 3, 2)).Data.ToArray();
        var grad = layer.Backward(Tensor<double>.Full(1.0, 4, 3, 2)).Data.ToArray();   // = s, per value
        double[] Unit(double[] v, int c) => [.. Enumerable.Range(0, 4).SelectMany(i => new[] { v[(i * 3 + c) * 2], v[(i * 3 + c) * 2 + 1] })];
        for (int c = 0; c < 3; c++)
        {
            Assert.Single(Unit(y, c).Distinct());
            Assert.Single(Unit(grad, c).Distinct());
        }
        Assert.Equal(3, Enumerable.Range(0, 3).Select(c => Unit(y, c)[0]).Distinct().Count());
        // A second training pass moves every unit again.
        var again = layer.Forward(Tensor<double>.Full(1.0, 4, 3, 2)).Data.ToArray();
        Assert.All(Enumerable.Range(0, 3), c => Assert.NotEqual(Unit(y, c)[0], Unit(again, c)[0]));
    }

    [Fact]
    public void TheUnitsScalesAndShiftsHaveTheRequestedMoments()
    {
        var layer = new NoisyShiftScale<double>(PerUnit, new Random(4));
        const int units = 20000;
        var shifts = layer.Forward(Tensor<double>.Zeros(2, units)).Data.Take(units).ToArray();   // x = 0: y = b
        var scales = layer.Backward(Tensor<double>.Full(1.0, 2, units)).Data.Take(units).ToArray();
        double Std(double[] v) => Math.Sqrt(v.Select(a => (a - v.Average()) * (a - v.Average())).Average());
        Assert.Equal(1.0, shifts.Average(), 1);
        Assert.Equal(1.0, Std(shifts), 1);
        Assert.Equal(2.0, scales.Average(), 1);
        Assert.Equal(0.5, Std(scales), 1);
    }

    [Fact]
    public void InEvaluationModeItIsTheIdentity()
    {
        var layer = new NoisyShiftScale<double>(PerUnit, new Random(5));
        layer.Eval();
        Assert.Equal([1.0, 2.0, 3.0, 4.0], layer.Forward(Tensor<double>.FromArray([1, 2, 3, 4], 2, 2)).Data);
    }

    [Fact]
    public void AVectorHasNoUnitsToShift()
    {
        var layer = new NoisyShiftScale<double>(PerUnit, new Random(6));
        Assert.Contains("(N, C, …)", Assert.Throws<ArgumentException>(() => layer.Forward(Tensor<double>.Zeros(4))).Message);
    }

    [Fact]
    public void WithoutANormTheNoiseTakesTheNormsPlace()
    {
        var noisy = new MlpConfig([5, 8, 8, 3]) { NormNoise = PerUnit }.Build<float>(0);
        Assert.Equal(["Linear", "NoisyShiftScale", "ReLU", "Linear", "NoisyShiftScale", "ReLU", "Linear"],
            noisy.Layers.Select(l => l.GetType().Name.Split('`')[0]));
        var noisyBn = new MlpConfig([5, 8, 8, 3]) { Norm = NormKind.BatchNorm, NormNoise = PerUnit }.Build<float>(0);
        Assert.Equal(["Linear", "BatchNorm1d", "NoisyShiftScale", "ReLU", "Linear", "BatchNorm1d", "NoisyShiftScale", "ReLU", "Linear"],
            noisyBn.Layers.Select(l => l.GetType().Name.Split('`')[0]));
    }
}

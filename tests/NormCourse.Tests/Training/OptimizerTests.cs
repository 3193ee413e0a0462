using NormCourse.Layers;
using NormCourse.Tensors;
using NormCourse.Training;

namespace NormCourse.Tests.Training;

public class OptimizerTests
{
    private static Parameter<double> Scalar(double value) => new(Tensor<double>.FromArray([value], 1));

    [Fact]
    public void SgdWithMomentumAndWeightDecayMatchesHandComputation()
    {
        var p = Scalar(1.0);
        var sgd = new Sgd<double>([p], learningRate: 0.5, momentum: 0.9, weightDecay: 0.1);
        p.Grad.Span[0] = 2.0;
        sgd.Step();
        // g = 2 + 0.1·1 = 2.1; b = 2.1; θ = 1 − 0.5·2.1
        Assert.Equal(-0.05, p.Value.Span[0], 12);
        sgd.Step();
        // g = 2 + 0.1·(−0.05) = 1.995; b = 0.9·2.1 + 1.995 = 3.885; θ = −0.05 − 0.5·3.885
        Assert.Equal(-1.9925, p.Value.Span[0], 12);
    }

    [Fact]
    public void PlainSgdIsThetaMinusLrTimesGrad()
    {
        var p = new Parameter<double>(Tensor<double>.FromArray([1.0, -2.0], 2));
        p.Grad.Span[0] = 0.5;
        p.Grad.Span[1] = -4.0;
        new Sgd<double>([p], 0.1).Step();
        Assert.Equal([0.95, -1.6], p.Value.Data.Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void NesterovUsesTheLookAheadGradient()
    {
        var p = Scalar(0.0);
        var sgd = new Sgd<double>([p], learningRate: 1.0, momentum: 0.5, nesterov: true);
        p.Grad.Span[0] = 1.0;
        sgd.Step(); // b = 1; step = g + μb = 1.5
        Assert.Equal(-1.5, p.Value.Span[0], 12);
        sgd.Step(); // b = 0.5 + 1 = 1.5; step = 1 + 0.75
        Assert.Equal(-3.25, p.Value.Span[0], 12);
    }

    [Fact]
    public void AdamMatchesHandComputation()
    {
        var p = Scalar(1.0);
        var adam = new Adam<double>([p], learningRate: 0.1);
        p.Grad.Span[0] = 2.0;
        adam.Step();
        // m = 0.2, v = 0.004; m̂ = 2, v̂ = 4: θ = 1 − 0.1·2/(2 + 1e-8)
        Assert.Equal(1 - 0.1 * 2 / (2 + 1e-8), p.Value.Span[0], 12);
        double theta1 = p.Value.Span[0];
        p.Grad.Span[0] = -1.0;
        adam.Step();
        double m = 0.9 * 0.2 + 0.1 * -1.0, v = 0.999 * 0.004 + 0.001 * 1.0;
        double mHat = m / (1 - 0.81), vHat = v / (1 - 0.999 * 0.999);
        Assert.Equal(theta1 - 0.1 * mHat / (Math.Sqrt(vHat) + 1e-8), p.Value.Span[0], 12);
    }

    [Fact]
    public void AdamWeightDecayAddsLambdaThetaToTheGradient()
    {
        var p = Scalar(2.0);
        var adam = new Adam<double>([p], learningRate: 0.01, weightDecay: 0.5);
        // g = 0 + 0.5·2 = 1: the first Adam step moves by lr·sign(g)
        adam.Step();
        Assert.Equal(2.0 - 0.01 * 1 / (1 + 1e-8), p.Value.Span[0], 12);
    }

    [Fact]
    public void BadHyperparametersAreRejected()
    {
        var p = Scalar(0);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>([p], -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>([p], 0.1, momentum: -0.5));
        Assert.Throws<ArgumentException>(() => new Sgd<double>([p], 0.1, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<double>([p], beta1: 1.0));
    }

    [Fact]
    public void ZeroGradClearsEveryGradient()
    {
        var p = Scalar(1);
        p.Grad.Span[0] = 3;
        new Sgd<double>([p], 0.1).ZeroGrad();
        Assert.Equal(0.0, p.Grad.Span[0]);
    }
}

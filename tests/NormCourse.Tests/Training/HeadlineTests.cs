using NormCourse.Models;
using NormCourse.Training;
using Zoo = NormCourse.Models.Models;

namespace NormCourse.Tests.Training;

/// <summary>
/// Issue 4's "what must show": Ioffe &amp; Szegedy 2015 §4.1's network learns much faster with BatchNorm, and with it
/// tolerates learning rates that stall or blow up the plain network. Small step counts, so these run in seconds.
/// </summary>
public class HeadlineTests(MnistFixture mnist) : IClassFixture<MnistFixture>
{
    private TrainingHistory Train(MlpConfig config, double lr, int steps, int seed)
    {
        var model = Zoo.Mlp<float>(config, seed);
        return Trainer.Train(model, new Sgd<float>(model.Parameters(), lr), mnist.Data,
            new TrainingOptions { Steps = steps, BatchSize = 60, Seed = seed, EvalEvery = steps });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void BatchNormReachesHigherTestAccuracyAfterTheSameSteps(int seed)
    {
        // §4.1: 784-100-100-100-10 sigmoid, small Gaussian weights, batch 60; here 80 steps at lr 0.1.
        var withBn = Train(Zoo.IoffeSzegedyConfig(batchNorm: true), 0.1, 80, seed);
        var without = Train(Zoo.IoffeSzegedyConfig(batchNorm: false), 0.1, 80, seed);
        Assert.Equal(TrainingOutcome.Completed, withBn.Outcome);
        Assert.True(withBn.FinalTestAccuracy > without.FinalTestAccuracy + 0.3,
            $"seed {seed}: BN {withBn.FinalTestAccuracy:P1} vs plain {without.FinalTestAccuracy:P1}");
        Assert.True(withBn.FinalTestAccuracy > 0.6, $"BN reached only {withBn.FinalTestAccuracy:P1}");
    }

    [Fact]
    public void AtLearningRateTenTheSigmoidNetworkOnlyTrainsWithBatchNorm()
    {
        var withBn = Train(Zoo.IoffeSzegedyConfig(batchNorm: true), 10.0, 100, seed: 0);
        var without = Train(Zoo.IoffeSzegedyConfig(batchNorm: false), 10.0, 100, seed: 0);
        Assert.Equal(TrainingOutcome.Completed, withBn.Outcome);
        Assert.True(withBn.FinalTestAccuracy > 0.7, $"BN at lr 10 reached only {withBn.FinalTestAccuracy:P1}");
        // The plain network stalls at chance (10 classes): every evaluation in its history says so — or it diverged.
        Assert.True(without.Diverged || without.Evaluations.All(e => e.Accuracy < 0.2),
            $"plain network at lr 10: {string.Join(", ", without.Evaluations.Select(e => e.Accuracy.ToString("P1")))}");
    }

    [Fact]
    public void AtLearningRateFiveThePlainReLUNetworkDivergesAndTheHistorySaysWhere()
    {
        var relu = new MlpConfig([784, 100, 100, 100, 10]) { Activation = Activation.ReLU };
        var without = Train(relu, 5.0, 100, seed: 1);
        Assert.Equal(TrainingOutcome.Diverged, without.Outcome);
        int at = without.DivergedAtStep!.Value;
        Assert.Equal(at + 1, without.Steps.Count);
        Assert.True(double.IsNaN(without.Steps[^1].Loss) || double.IsInfinity(without.Steps[^1].Loss));
        var withBn = Train(relu with { Norm = NormKind.BatchNorm }, 5.0, 100, seed: 1);
        Assert.Equal(TrainingOutcome.Completed, withBn.Outcome);
        Assert.All(withBn.Steps, s => Assert.True(double.IsFinite(s.Loss)));
        Assert.True(withBn.Steps.TakeLast(20).Average(s => s.Loss) < withBn.Steps.Take(20).Average(s => s.Loss));
    }
}

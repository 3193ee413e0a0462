using NormCourse.Data;
using NormCourse.Layers;
using NormCourse.Models;
using NormCourse.Probes;
using NormCourse.Training;

namespace NormCourse.Tests.Lessons;

/// <summary>
/// Lesson 08's claims (Santurkar et al. 2018): along the gradient, the loss of a BN network varies less and its gradient
/// changes less than without BN; "noisy BN" (random shifts and scales after each BN layer, resampled every step)
/// still trains; and with non-stationary per-unit noise (<see cref="NoiseSpec.NonStationary"/>), on the lesson's MLP
/// and learning rate, noisy BN trains while the same noise in the same places without BN does not.
/// </summary>
public class Lesson08WhyDoesBnWorkTests(LessonMnist mnist) : IClassFixture<LessonMnist>
{
    private static readonly int[] ProbeSteps = [10, 40, 70];
    private static readonly double[] StepSizes = [0.05, 0.1, 0.2, 0.4];

    private static DatasetSplit Data(int seed)
    {
        var all = Synthetic.RandomTeacher(1200, inputDim: 20, numClasses: 5, seed: 200 + seed);
        return new DatasetSplit(all.Subset([.. Enumerable.Range(0, 1000)]), all.Subset([.. Enumerable.Range(1000, 200)]));
    }

    private static (TrainingHistory History, LandscapeProbe Probe) Run(NormKind norm, NoiseSpec? noise, int seed)
    {
        var model = new MlpConfig([20, 64, 64, 64, 5]) { Norm = norm, NormNoise = noise, Init = InitScheme.Kaiming }.Build<float>(seed);
        var probe = new LandscapeProbe(ProbeSteps, StepSizes);
        var history = Trainer.Train(model, new OptimizerConfig(OptimizerKind.Sgd, 0.1).Create(model.Parameters()), Data(seed),
            new TrainingOptions { Steps = 80, BatchSize = 64, Seed = seed, EvalEvery = 0 }, [probe]);
        return (history, probe);
    }

    [Fact]
    public void TheBatchNormNetworksLossAndGradientChangeLessAlongTheGradient()
    {
        for (int seed = 0; seed < 3; seed++)
        {
            var (_, bn) = Run(NormKind.BatchNorm, null, seed);
            var (_, plain) = Run(NormKind.None, null, seed);
            double bnRange = bn.Records.Average(r => r.LossRange), plainRange = plain.Records.Average(r => r.LossRange);
            double bnChange = bn.Records.Average(r => r.MaxGradientChange), plainChange = plain.Records.Average(r => r.MaxGradientChange);
            Assert.True(bnRange < plainRange, $"seed {seed}: loss variation BN {bnRange:F4} vs plain {plainRange:F4}");
            Assert.True(bnChange < plainChange, $"seed {seed}: gradient change BN {bnChange:F4} vs plain {plainChange:F4}");
        }
    }

    [Fact]
    public void NoisyBatchNormStillTrainsWellAboveChance()
    {
        for (int seed = 0; seed < 3; seed++)
        {
            var (history, _) = Run(NormKind.BatchNorm, NoiseSpec.Santurkar, seed);
            // Minibatch accuracy in training mode, with the noise on, over the last 20 updates; chance is 1/5.
            double accuracy = history.Steps.TakeLast(20).Average(s => s.Accuracy);
            Assert.False(history.Diverged, $"seed {seed}: noisy BN diverged");
            Assert.True(accuracy > 0.5, $"seed {seed}: noisy BN's training accuracy {accuracy:F3} is not well above chance (0.2)");
        }
    }

    // The lesson's section 2: 784-100-100-100-10 ReLU, Kaiming init, SGD 0.1, batch 64, 200 updates on the embedded MNIST.
    private TrainingHistory TrainMnist(NormKind norm, NoiseSpec? noise, int seed)
    {
        var model = new MlpConfig([784, 100, 100, 100, 10]) { Norm = norm, NormNoise = noise, Init = InitScheme.Kaiming }.Build<float>(seed);
        return Trainer.Train(model, new OptimizerConfig(OptimizerKind.Sgd, 0.1).Create(model.Parameters()), mnist.Data,
            new TrainingOptions { Steps = 200, BatchSize = 64, Seed = seed, EvalEvery = 0 });
    }

    // Minibatch accuracy in training mode (the noise on) over the last 20 updates; 0 for a run that diverged.
    private static double LastTrainAccuracy(TrainingHistory h) => h.Diverged ? 0 : h.Steps.TakeLast(20).Average(s => s.Accuracy);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void WithNonStationaryNoiseBatchNormTrainsAndTheSameNoiseWithoutItDoesNot(int seed)
    {
        var noise = NoiseSpec.NonStationary;
        var noisyBn = TrainMnist(NormKind.BatchNorm, noise, seed);
        var noisyPlain = TrainMnist(NormKind.None, noise, seed);
        var cleanPlain = TrainMnist(NormKind.None, null, seed);
        // Chance is 0.1. "Trains": above 0.5 without diverging; "does not train": diverged, or below 0.2.
        Assert.True(!noisyBn.Diverged && LastTrainAccuracy(noisyBn) > 0.5, $"seed {seed}: noisy BN {LastTrainAccuracy(noisyBn):F3}, diverged {noisyBn.Diverged}");
        Assert.True(noisyPlain.Diverged || LastTrainAccuracy(noisyPlain) < 0.2,
            $"seed {seed}: the same noise without BN reached {LastTrainAccuracy(noisyPlain):F3} without diverging");
        // The rate itself is fine without noise: it is the noise that stops the plain network.
        Assert.True(!cleanPlain.Diverged && LastTrainAccuracy(cleanPlain) > 0.5, $"seed {seed}: the plain network without noise {LastTrainAccuracy(cleanPlain):F3}");
    }
}

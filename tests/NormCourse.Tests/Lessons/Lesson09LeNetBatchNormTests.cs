using NormCourse.Data;
using NormCourse.Models;
using NormCourse.Training;

namespace NormCourse.Tests.Lessons;

/// <summary>
/// Lesson 09's claim (d2l's BatchNorm chapter): a sigmoid LeNet with BatchNorm learns faster than the plain one — after
/// the same few updates on a small Fashion-MNIST subset, its training loss is lower and its training accuracy higher.
/// </summary>
public class Lesson09LeNetBatchNormTests
{
    private static readonly DatasetSplit Data = LoadSubset();

    private static DatasetSplit LoadSubset()
    {
        var full = FashionMnist.Load(new DatasetLoadOptions { AllowDownload = false });
        return new DatasetSplit(full.Train.Subset([.. Enumerable.Range(0, 512)]).AsImages(), full.Test.Subset([.. Enumerable.Range(0, 100)]).AsImages());
    }

    private static (double Loss, double Accuracy) LastSteps(NormKind norm, int seed)
    {
        var model = new LeNetConfig { Norm = norm }.Build<float>(seed);
        var history = Trainer.Train(model, new OptimizerConfig(OptimizerKind.Sgd, 0.1).Create(model.Parameters()), Data,
            new TrainingOptions { Steps = 10, BatchSize = 16, Seed = seed, EvalEvery = 0 });
        var last = history.Steps.TakeLast(3).ToArray();
        return (last.Average(s => s.Loss), last.Average(s => s.Accuracy));
    }

    [Fact]
    public void BatchNormLeNetIsAheadOfPlainLeNetAfterTheSameUpdates()
    {
        for (int seed = 0; seed < 3; seed++)
        {
            var bn = LastSteps(NormKind.BatchNorm, seed);
            var plain = LastSteps(NormKind.None, seed);
            Assert.True(bn.Loss < plain.Loss, $"seed {seed}: training loss BN {bn.Loss:F3} vs plain {plain.Loss:F3}");
            Assert.True(bn.Accuracy > plain.Accuracy, $"seed {seed}: training accuracy BN {bn.Accuracy:F3} vs plain {plain.Accuracy:F3}");
        }
    }
}

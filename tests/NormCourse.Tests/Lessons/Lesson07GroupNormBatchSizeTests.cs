using NormCourse.Data;
using NormCourse.Models;
using NormCourse.Training;

namespace NormCourse.Tests.Lessons;

/// <summary>
/// Lesson 07's GroupNorm claim (Wu &amp; He 2018 Table 2's trend): trained for the same number of epochs with the learning
/// rate scaled with the batch size, BatchNorm's held-out accuracy falls at batch 2 while GroupNorm's barely moves.
/// The lesson runs the LeNet-style CNN; this test uses a small MLP on a synthetic teacher task so it stays fast — the
/// mechanism (batch statistics of two examples, and their mismatch with the running averages) is the same.
/// </summary>
public class Lesson07GroupNormBatchSizeTests
{
    private static double Accuracy(NormKind norm, int batchSize, int seed)
    {
        var all = Synthetic.RandomTeacher(1400, inputDim: 16, numClasses: 4, seed: 100 + seed);
        var data = new DatasetSplit(all.Subset([.. Enumerable.Range(0, 800)]), all.Subset([.. Enumerable.Range(800, 600)]));
        var model = new MlpConfig([16, 32, 32, 4]) { Norm = norm, Groups = 4, Init = InitScheme.Kaiming }.Build<float>(seed);
        var optimizer = new OptimizerConfig(OptimizerKind.Sgd, 0.1 * batchSize / 32) { Momentum = 0.9 }.Create(model.Parameters());
        return Trainer.Train(model, optimizer, data, new TrainingOptions { Epochs = 2, BatchSize = batchSize, Seed = seed, EvalEvery = 0 })
            .FinalTestAccuracy;
    }

    [Fact]
    public void GroupNormsAccuracyVariesLessAcrossBatchSizesThanBatchNorms()
    {
        for (int seed = 0; seed < 3; seed++)
        {
            double[] bn = [Accuracy(NormKind.BatchNorm, 2, seed), Accuracy(NormKind.BatchNorm, 32, seed)];
            double[] gn = [Accuracy(NormKind.GroupNorm, 2, seed), Accuracy(NormKind.GroupNorm, 32, seed)];
            double bnSpread = bn.Max() - bn.Min(), gnSpread = gn.Max() - gn.Min();
            Assert.True(gnSpread < bnSpread,
                $"seed {seed}: GN accuracy at batch 2/32 = {gn[0]:F3}/{gn[1]:F3} (spread {gnSpread:F3}), BN {bn[0]:F3}/{bn[1]:F3} (spread {bnSpread:F3})");
            Assert.True(bn[0] < bn[1], $"seed {seed}: BN at batch 2 ({bn[0]:F3}) should be worse than at batch 32 ({bn[1]:F3})");
        }
    }
}

using NormCourse.Analysis;
using NormCourse.Data;
using NormCourse.Layers;
using NormCourse.Models;
using NormCourse.Normalization;
using NormCourse.Tensors;
using NormCourse.Tests.Training;
using NormCourse.Training;

namespace NormCourse.Tests.Lessons;

/// <summary>
/// Lesson 05's claims on small settings: folding an evaluation-mode BatchNorm into the preceding Linear changes no
/// prediction, and recalibrating stale running statistics (reset, momentum null, a pass over training data) brings
/// evaluation-mode accuracy back.
/// </summary>
public class Lesson05BatchSizeTrainVsEvalTests(MnistFixture mnist) : IClassFixture<MnistFixture>
{
    private DatasetSplit Small => new(mnist.Data.Train.Subset(Enumerable.Range(0, 1500).ToArray()), mnist.Data.Test);

    private Sequential<float> Train(DatasetSplit data, int seed, double? bnMomentum, int steps)
    {
        var net = new MlpConfig([784, 32, 32, 10]) { Norm = NormKind.BatchNorm, NormMomentum = bnMomentum }.Build<float>(seed);
        Trainer.Train(net, new Sgd<float>(net.Parameters(), 0.1), data, new TrainingOptions { Steps = steps, BatchSize = 32, Seed = seed, EvalEvery = 0 });
        return net;
    }

    private static int[] Predictions(Tensor<float> logits)
    {
        int n = logits.Shape[0], k = logits.Shape[1];
        return Enumerable.Range(0, n).Select(i => Enumerable.Range(0, k).MaxBy(j => logits.Data[i * k + j])).ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void FoldingBatchNormChangesNoPrediction(int seed)
    {
        var data = Small;
        var net = Train(data, seed, 0.1, 80);
        net.Eval();
        var folded = new Sequential<float>();
        for (int i = 0; i < net.Layers.Count; i++)
        {
            if (net.Layers[i] is Linear<float> linear && i + 1 < net.Layers.Count && net.Layers[i + 1] is BatchNorm<float> bn)
            {
                folded.Add(BatchNormFolding.Fold(linear, bn));
                i++;
            }
            else folded.Add(net.Layers[i]);
        }
        folded.Eval();
        Assert.Equal(net.Layers.Count - 2, folded.Layers.Count);
        var expected = net.Forward(data.Test.Features).Clone();
        var actual = folded.Forward(data.Test.Features).Clone();
        double maxDiff = expected.Data.Zip(actual.Data, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDiff < 1e-3, $"seed {seed}: logits differ by up to {maxDiff}");
        Assert.Equal(Predictions(expected), Predictions(actual));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void RecalibrationBringsStaleEvalAccuracyBack(int seed)
    {
        var data = Small;
        // Momentum 0.001: after 150 steps the buffers still hold 0.999^150 ≈ 86% of their initial 0 and 1.
        var net = Train(data, seed, 0.001, 150);
        double stale = Trainer.Evaluate(net, data.Test).Accuracy;
        var fresh = Train(data, seed, 0.1, 150);
        double reference = Trainer.Evaluate(fresh, data.Test).Accuracy;
        RunningStatistics.Recalibrate(net, data.Train, batchSize: 100, batches: 15, seed: seed);
        double recalibrated = Trainer.Evaluate(net, data.Test).Accuracy;
        Assert.True(recalibrated > stale + 0.03, $"seed {seed}: stale {stale:P1}, recalibrated {recalibrated:P1}");
        // The same weights with well-estimated statistics do about as well as a run with the default momentum.
        Assert.True(recalibrated > reference - 0.05, $"seed {seed}: recalibrated {recalibrated:P1}, default momentum {reference:P1}");
    }
}

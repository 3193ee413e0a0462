using NormCourse.Data;
using NormCourse.Layers;
using NormCourse.Models;
using NormCourse.Normalization;
using NormCourse.Tensors;
using NormCourse.Tests.Training;
using NormCourse.Training;

namespace NormCourse.Tests.Lessons;

/// <summary>
/// Lesson 10's claim: the forgotten-<c>Eval()</c> bug is detectable. In training mode a BN network's prediction for
/// an example changes when its batch companions change; in evaluation mode its output does not change at all.
/// </summary>
public class Lesson10PractitionersChecklistTests(MnistFixture mnist) : IClassFixture<MnistFixture>
{
    private const int Examples = 100;

    private static float[] LogitsInBatch(Sequential<float> net, LabeledDataset test, int example, int[] companions)
    {
        var batch = Tensor<float>.Zeros(companions.Length + 1, test.FeatureLength);
        test.Gather(companions.Prepend(example).ToArray(), batch, new int[companions.Length + 1]);
        return net.Forward(batch).Data.Take(test.NumClasses).ToArray();
    }

    private static (double MaxDiff, int Changed) CompositionEffect(Sequential<float> net, LabeledDataset test, int seed)
    {
        var rng = new Random(seed);
        int[] sameDigit = Enumerable.Range(0, test.Count).Where(i => test.Labels[i] == 1).Take(7).ToArray();
        double maxDiff = 0;
        int changed = 0;
        for (int e = 0; e < Examples; e++)
        {
            var a = LogitsInBatch(net, test, e, Enumerable.Range(0, 7).Select(_ => rng.Next(test.Count)).ToArray());
            var b = LogitsInBatch(net, test, e, sameDigit);
            maxDiff = Math.Max(maxDiff, a.Zip(b, (p, q) => Math.Abs(p - q)).Max());
            if (Array.IndexOf(a, a.Max()) != Array.IndexOf(b, b.Max())) changed++;
        }
        return (maxDiff, changed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void PredictionsDependOnBatchCompositionInTrainModeOnly(int seed)
    {
        var data = new DatasetSplit(mnist.Data.Train.Subset(Enumerable.Range(0, 1500).ToArray()), mnist.Data.Test);
        var net = new MlpConfig([784, 32, 32, 10]) { Norm = NormKind.BatchNorm }.Build<float>(seed);
        Trainer.Train(net, new Sgd<float>(net.Parameters(), 0.1), data, new TrainingOptions { Steps = 100, BatchSize = 32, Seed = seed, EvalEvery = 0 });
        foreach (var bn in net.Layers.OfType<BatchNorm<float>>()) bn.Momentum = 0;

        net.Train();
        var trainMode = CompositionEffect(net, data.Test, seed);
        net.Eval();
        var evalMode = CompositionEffect(net, data.Test, seed);

        Assert.True(trainMode.Changed > 0, $"seed {seed}: no prediction changed in train mode (max logit change {trainMode.MaxDiff})");
        Assert.True(trainMode.MaxDiff > 0.1, $"seed {seed}: train-mode logits moved only {trainMode.MaxDiff}");
        Assert.Equal(0, evalMode.Changed);
        Assert.Equal(0.0, evalMode.MaxDiff);
    }
}

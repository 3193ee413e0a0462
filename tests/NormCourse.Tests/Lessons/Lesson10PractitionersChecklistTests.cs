using NormCourse.Data;
using NormCourse.Layers;
using NormCourse.Models;
using NormCourse.Normalization;
using NormCourse.Tensors;
using NormCourse.Tests.Training;
using NormCourse.Training;

namespace NormCourse.Tests.Lessons;

/// <summary>
/// Lesson 10's claims: the forgotten-<c>Eval()</c> bug is detectable — in training mode a BN network's prediction for
/// an example changes when its batch companions change, in evaluation mode its output does not change at all; and,
/// fine-tuning a pretrained BN network with batches of 4 at a small learning rate, freezing the BN layers (evaluation
/// mode) beats both updating their statistics (training mode) and momentum 0 (batch statistics, frozen averages).
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

    private enum FineTuneVariant { AllTraining, MomentumZero, FrozenBatchNorm }

    // The lesson's §3: pretrain 784-64-64-10 BN (batch 32, 300 steps, lr 0.1) on 3,000 digits, then fine-tune a copy
    // on 300 further digits with batches of 4, 300 steps, lr 0.01; eval-mode test accuracy.
    private static double FineTune(Sequential<float> pretrained, MlpConfig config, LabeledDataset fineTuneSet, LabeledDataset test,
        FineTuneVariant variant, int seed)
    {
        var net = config.Build<float>(seed);
        foreach (var (mine, theirs) in net.Parameters().Zip(pretrained.Parameters())) theirs.Value.Span.CopyTo(mine.Value.Span);
        foreach (var (mine, theirs) in net.NamedBuffers().Zip(pretrained.NamedBuffers())) theirs.Buffer.Span.CopyTo(mine.Buffer.Span);
        var bns = net.Layers.OfType<BatchNorm<float>>().ToArray();
        net.Train();
        if (variant == FineTuneVariant.MomentumZero) foreach (var bn in bns) bn.Momentum = 0;
        if (variant == FineTuneVariant.FrozenBatchNorm) foreach (var bn in bns) bn.Eval();
        var sgd = new Sgd<float>(net.Parameters(), 0.01);
        var loss = new SoftmaxCrossEntropy<float>();
        var sampler = new MinibatchSampler(fineTuneSet.Count, 4, seed: seed + 2, dropLast: true);
        var x = Tensor<float>.Zeros(4, 784);
        var labels = new int[4];
        foreach (var batch in Enumerable.Range(0, 100).SelectMany(sampler.Batches).Take(300))
        {
            fineTuneSet.Gather(batch.Span, x, labels);
            sgd.ZeroGrad();
            loss.Forward(net.Forward(x), labels);
            net.Backward(loss.Backward());
            sgd.Step();
        }
        return Trainer.Evaluate(net, test).Accuracy;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void FineTuningWithFrozenBatchNormBeatsUpdatedStatisticsAtASmallRate(int seed)
    {
        var data = new DatasetSplit(mnist.Data.Train.Subset(Enumerable.Range(0, 3000).ToArray()), mnist.Data.Test);
        var fineTuneSet = mnist.Data.Train.Subset(Enumerable.Range(3000, 300).ToArray());
        var config = new MlpConfig([784, 64, 64, 10]) { Norm = NormKind.BatchNorm };
        var pretrained = config.Build<float>(seed);
        Trainer.Train(pretrained, new Sgd<float>(pretrained.Parameters(), 0.1), data, new TrainingOptions { Steps = 300, BatchSize = 32, Seed = seed, EvalEvery = 0 });

        double updated = FineTune(pretrained, config, fineTuneSet, data.Test, FineTuneVariant.AllTraining, seed);
        double momentumZero = FineTune(pretrained, config, fineTuneSet, data.Test, FineTuneVariant.MomentumZero, seed);
        double frozen = FineTune(pretrained, config, fineTuneSet, data.Test, FineTuneVariant.FrozenBatchNorm, seed);
        Assert.True(frozen > updated + 0.005, $"seed {seed}: frozen BN {frozen:P1} vs statistics updated {updated:P1}");
        Assert.True(frozen > momentumZero + 0.005, $"seed {seed}: frozen BN {frozen:P1} vs momentum 0 {momentumZero:P1}");
    }
}

using NormCourse.Data;
using NormCourse.Layers;
using NormCourse.Models;
using NormCourse.Normalization;
using NormCourse.Tensors;
using NormCourse.Training;
using Zoo = NormCourse.Models.Models;

namespace NormCourse.Tests.Lessons;

/// <summary>
/// Lesson 04's claims: the bias of a Linear directly before BN has a zero gradient (≤ 1e-6 in double precision, against
/// weight gradients of order one) and no effect on the output, so SGD never moves it; and a BN layer on raw input
/// features scaled by 10^±3 trains where the plain network on the same raw features stays near chance; three seeds each.
/// (The lesson's before-vs-after-the-activation comparison is setup-dependent and is not asserted.)
/// </summary>
public class Lesson04WhereToPutItTests(LessonMnist mnist) : IClassFixture<LessonMnist>
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void BiasBeforeBatchNormHasZeroGradientAndNoEffect(int seed)
    {
        var random = new Random(seed);
        var linear = new Linear<double>(20, 8, random);
        var model = new Sequential<double>(linear, new BatchNorm1d<double>(8), new Tanh<double>());
        var x = Tensor<double>.Zeros(32, 20);
        Init.Normal(x, 0, 1, random);
        var upstream = Tensor<double>.Zeros(32, 8);
        Init.Normal(upstream, 0, 1, random);
        var before = model.Forward(x).Clone();
        model.ZeroGrad();
        model.Backward(upstream);
        Assert.True(linear.Bias!.Grad.Data.Max(Math.Abs) <= 1e-6, $"max |dL/db| = {linear.Bias.Grad.Data.Max(Math.Abs):E2}");
        Assert.True(linear.Weight.Grad.Data.Max(Math.Abs) > 1e-2, "the weight gradient should not vanish too");
        Init.Normal(linear.Bias.Value, 0, 10, random);
        var after = model.Forward(x);
        Assert.True(before.Data.Zip(after.Data, (a, b) => Math.Abs(a - b)).Max() <= 1e-6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void SgdNeverMovesTheBiasBeforeBatchNorm(int seed)
    {
        var model = Zoo.Mlp<float>(new MlpConfig([784, 32, 10]) { Norm = NormKind.BatchNorm }, seed); // Linear, BN, ReLU, Linear
        var bias = ((Linear<float>)model.Layers[0]).Bias!;
        var initial = bias.Value.Data.ToArray();
        Trainer.Train(model, new Sgd<float>(model.Parameters(), 0.1, momentum: 0.9), mnist.Data,
            new TrainingOptions { Steps = 40, BatchSize = 60, Seed = seed, EvalEvery = 0 });
        var outputBias = ((Linear<float>)model.Layers[3]).Bias!;
        Assert.True(initial.Zip(bias.Value.Data, (a, b) => Math.Abs(a - b)).Max() <= 1e-5,
            $"the pre-BN bias moved by {initial.Zip(bias.Value.Data, (a, b) => Math.Abs(a - b)).Max():E2}");
        Assert.True(outputBias.Value.Data.Max(Math.Abs) > 1e-3, "the output layer's bias (no BN after it) should have moved");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void BatchNormOnRawInputsOfVeryDifferentScalesTrainsWhereThePlainNetworkDoesNot(int seed)
    {
        var random = new Random(100 + seed);
        var scales = Enumerable.Range(0, 784).Select(_ => (float)Math.Pow(10, -3 + 6 * random.NextDouble())).ToArray();
        LabeledDataset Rescale(LabeledDataset d)
        {
            var f = d.Features.Clone();
            for (int i = 0; i < f.Length; i++) f.Data[i] *= scales[i % 784];
            return d.WithFeatures(f);
        }
        var raw = new DatasetSplit(Rescale(mnist.Data.Train), Rescale(mnist.Data.Test));
        double Accuracy(bool inputBn)
        {
            var model = new Sequential<float>();
            if (inputBn) model.Add(new BatchNorm1d<float>(784));
            foreach (var layer in Zoo.Mlp<float>(new MlpConfig([784, 32, 10]), seed).Layers) model.Add(layer);
            var h = Trainer.Train(model, new Sgd<float>(model.Parameters(), 0.1, momentum: 0.9), raw,
                new TrainingOptions { Steps = 100, BatchSize = 60, Seed = seed, EvalEvery = 100 });
            return h.Diverged ? 0 : h.FinalTestAccuracy;
        }
        double plain = Accuracy(false), withBn = Accuracy(true);
        Assert.True(withBn > 0.7 && plain < 0.5, $"seed {seed}: BN on the raw input {withBn:P1}, plain {plain:P1}");
    }
}

using NormCourse.Analysis;
using NormCourse.Layers;
using NormCourse.Models;
using NormCourse.Normalization;
using NormCourse.Probes;
using NormCourse.Tensors;
using Zoo = NormCourse.Models.Models;

namespace NormCourse.Tests.Models;

public class ModelTests
{
    private static string[] Kinds(Sequential<float> model) => [.. model.Layers.Select(l => l.GetType().Name.Split('`')[0])];

    [Fact]
    public void IoffeSzegedyIsThreeSigmoidLayersWithBatchNormBeforeEach()
    {
        var bn = Zoo.IoffeSzegedyMnist(batchNorm: true, seed: 0);
        Assert.Equal(["Linear", "BatchNorm1d", "Sigmoid", "Linear", "BatchNorm1d", "Sigmoid", "Linear", "BatchNorm1d", "Sigmoid", "Linear"], Kinds(bn));
        Assert.Equal([784, 100, 100, 100], bn.Layers.OfType<Linear<float>>().Select(l => l.InFeatures));
        Assert.Equal(10, bn.Layers.OfType<Linear<float>>().Last().OutFeatures);
        var plain = Zoo.IoffeSzegedyMnist(batchNorm: false, seed: 0);
        Assert.Equal(["Linear", "Sigmoid", "Linear", "Sigmoid", "Linear", "Sigmoid", "Linear"], Kinds(plain));
        // Same seed: the same weights in both, so the two differ only by BN.
        Assert.Equal(((Linear<float>)bn.Layers[0]).Weight.Value.Data, ((Linear<float>)plain.Layers[0]).Weight.Value.Data);
    }

    [Fact]
    public void NormalInitDrawsWeightsOfTheRequestedScaleAndZeroBiases()
    {
        var model = Zoo.IoffeSzegedyMnist(seed: 1, initStd: 0.05);
        var first = (Linear<float>)model.Layers[0];
        var w = first.Weight.Value.Data;
        double mean = w.Average(v => (double)v);
        double std = Math.Sqrt(w.Average(v => (v - mean) * (v - mean)));
        Assert.Equal(0.05, std, 3);       // 78,400 draws: the sample std is within 1% of σ
        Assert.Equal(0.0, mean, 3);
        Assert.All(first.Bias!.Value.Data, b => Assert.Equal(0f, b));
    }

    [Fact]
    public void PlacementDropoutAndBiasAreHonoured()
    {
        var config = new MlpConfig([4, 6, 6, 2])
        {
            Activation = Activation.Tanh, Norm = NormKind.LayerNorm, Placement = NormPlacement.AfterActivation, Dropout = 0.5, Bias = false,
        };
        var model = Zoo.Mlp<float>(config, 0);
        Assert.Equal(["Linear", "Tanh", "LayerNorm", "Dropout", "Linear", "Tanh", "LayerNorm", "Dropout", "Linear"], Kinds(model));
        Assert.All(model.Layers.OfType<Linear<float>>().SkipLast(1), l => Assert.Null(l.Bias));
        Assert.NotNull(model.Layers.OfType<Linear<float>>().Last().Bias);
    }

    [Theory]
    [InlineData(NormKind.BatchNorm, "BatchNorm1d")]
    [InlineData(NormKind.LayerNorm, "LayerNorm")]
    [InlineData(NormKind.RMSNorm, "RMSNorm")]
    [InlineData(NormKind.GroupNorm, "GroupNorm")]
    [InlineData(NormKind.BatchRenorm, "BatchRenorm1d")]
    public void EveryNormKindBuildsItsLayerAndTheNetworkRuns(NormKind kind, string layer)
    {
        var model = Zoo.Mlp<float>(new MlpConfig([5, 8, 3]) { Norm = kind, NormNoise = new NoiseSpec(ScaleStd: 0.1) }, 0);
        Assert.Equal(["Linear", layer, "NoisyShiftScale", "ReLU", "Linear"], Kinds(model));
        var x = Tensor<float>.Zeros(4, 5);
        Init.Normal(x, 0, 1, new Random(0));
        Assert.True(model.Forward(x).HasShape([4, 3]));
    }

    [Fact]
    public void TheSameSeedBuildsTheSameNetwork()
    {
        var config = new MlpConfig([6, 5, 3]) { Init = InitScheme.Kaiming, Dropout = 0.1 };
        var a = Zoo.Mlp<float>(config, 42).Parameters().SelectMany(p => p.Value.Data);
        var b = Zoo.Mlp<float>(config, 42).Parameters().SelectMany(p => p.Value.Data);
        var c = Zoo.Mlp<float>(config, 43).Parameters().SelectMany(p => p.Value.Data);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void TheBuiltMlpBackpropagatesCorrectly()
    {
        // The composed network's backward against central differences, in float64. Without hidden biases: right
        // before BatchNorm a bias has an exactly zero gradient (BN subtracts it again), which a relative error cannot judge.
        var model = Zoo.Mlp<double>(new MlpConfig([3, 4, 4, 2]) { Activation = Activation.Sigmoid, Norm = NormKind.BatchNorm, Bias = false }, 0);
        var x = Tensor<double>.Zeros(5, 3);
        Init.Normal(x, 0, 1, new Random(1));
        var result = GradientChecker.Check(model, x);
        Assert.True(result.MaxRelativeError < 1e-6, result.ToString());
    }

    [Fact]
    public void LeNetMapsImagesToTenLogitsWithBatchNorm2dOrGroupNorm()
    {
        var x = Tensor<float>.Zeros(2, 1, 28, 28);
        Init.Uniform(x, 0, 1, new Random(0));
        var bn = Zoo.LeNet<float>(new LeNetConfig { Norm = NormKind.BatchNorm }, 0);
        Assert.Equal(2, bn.Layers.OfType<BatchNorm2d<float>>().Count());
        Assert.Equal(2, bn.Layers.OfType<BatchNorm1d<float>>().Count());
        Assert.True(bn.Forward(x).HasShape([2, 10]));
        var gn = Zoo.LeNet<float>(new LeNetConfig { Norm = NormKind.GroupNorm, Groups = 2 }, 0);
        Assert.Equal(4, gn.Layers.OfType<GroupNorm<float>>().Count());
        Assert.True(gn.Forward(x).HasShape([2, 10]));
        Assert.Throws<ArgumentException>(() => Zoo.LeNet<float>(new LeNetConfig { Norm = NormKind.RMSNorm }, 0));
    }

    [Fact]
    public void ModelLayersFindActivationsPreActivationsAndNorms()
    {
        var model = Zoo.IoffeSzegedyMnist();
        Assert.Equal([2, 5, 8], ModelLayers.Activations(model).Keys.Order());
        Assert.All(ModelLayers.Activations(model).Values, a => Assert.Equal(Activation.Sigmoid, a));
        Assert.Equal([1, 4, 7], ModelLayers.PreActivations(model));
        Assert.Equal([1, 4, 7], ModelLayers.Norms(model));
    }

    [Fact]
    public void BadConfigurationsSayWhatIsWrong()
    {
        Assert.Throws<ArgumentException>(() => Zoo.Mlp<float>(new MlpConfig([784]), 0));
        Assert.Throws<ArgumentException>(() => Zoo.Mlp<float>(new MlpConfig([4, 0, 2]), 0));
        Assert.Throws<ArgumentException>(() => Zoo.Mlp<float>(new MlpConfig([4, 6, 2]) { Norm = NormKind.GroupNorm, Groups = 4 }, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Zoo.Mlp<float>(new MlpConfig([4, 6, 2]) { InitScale = -1 }, 0));
    }
}

using NormCourse.Analysis;
using NormCourse.Layers;

namespace NormCourse.Tests.Layers;

public class SequentialTests
{
    private static Sequential<double> Mlp() =>
        new(new Linear<double>(4, 6, new Random(1)), new ReLU<double>(), new Linear<double>(6, 3, new Random(2)));

    [Fact]
    public void Linear_ReLU_Linear_backward_matches_central_differences()
    {
        var model = Mlp();
        var x = LayerTestData.Uniform(3, 5, 4);
        // Central differences are exact for this piecewise-linear network as long as no hidden pre-activation
        // crosses zero. The checker moves one value by at most 2h = 2e-4, which moves a pre-activation by at most
        // 2h·max(|W|, |x|, 1) = 2e-4 here, so every pre-activation must be farther than that from zero.
        var preActivation = model.Layers[0].Forward(x);
        Assert.True(preActivation.Data.Min(Math.Abs) > 2e-4);

        var result = GradientChecker.Check(model, x);
        Assert.True(result.MaxRelativeError < 1e-7, result.ToString());
        Assert.Equal(5 * 4 + 6 * 4 + 6 + 3 * 6 + 3, result.ValuesChecked);
    }

    [Fact]
    public void Parameters_are_named_by_layer_index()
    {
        var model = Mlp();
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], model.NamedParameters().Select(p => p.Name));
        Assert.Same(((Linear<double>)model.Layers[2]).Bias, model.NamedParameters().Single(p => p.Name == "2.bias").Parameter);
    }

    [Fact]
    public void Prints_like_PyTorch()
    {
        Assert.Equal(
            "Sequential(\n  (0): Linear(in_features=4, out_features=6, bias=True)\n  (1): ReLU()\n  (2): Linear(in_features=6, out_features=3, bias=True)\n)",
            Mlp().ToString());
    }
}

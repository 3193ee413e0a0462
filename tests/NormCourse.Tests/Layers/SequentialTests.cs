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
        // The network is piecewise linear in every single value the checker perturbs, so the exact linear step
        // applies as long as no hidden pre-activation crosses zero: one value moved by h moves a pre-activation
        // by at most h·max(|W|, |x|, 1) = h here, so every pre-activation must be at least h away from zero.
        var preActivation = model.Layers[0].Forward(x);
        Assert.True(preActivation.Data.Min(Math.Abs) > LayerTestData.LinearStep);

        var result = GradientChecker.Check(model, x, step: LayerTestData.LinearStep);
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

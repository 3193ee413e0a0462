using NormCourse.Analysis;
using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Tests.Layers;

public class LinearTests
{
    [Theory]
    [InlineData(1, 1, 1, true)]
    [InlineData(4, 3, 5, true)]
    [InlineData(7, 6, 2, false)]
    [InlineData(3, 10, 10, true)]
    public void Backward_matches_central_differences(int n, int inFeatures, int outFeatures, bool bias)
    {
        var layer = new Linear<double>(inFeatures, outFeatures, new Random(n), bias);
        var result = GradientChecker.Check(layer, LayerTestData.Uniform(10 + n, n, inFeatures));
        Assert.True(result.MaxRelativeError < 1e-7, result.ToString());
    }

    [Fact]
    public void Forward_computes_x_times_W_transposed_plus_b()
    {
        var layer = new Linear<double>(2, 3, new Random(0));
        new double[] { 1, 2, 3, 4, 5, 6 }.CopyTo(layer.Weight.Value.Span);   // W = [[1,2],[3,4],[5,6]]
        new double[] { 0.5, -1, 2 }.CopyTo(layer.Bias!.Value.Span);
        var x = Tensor<double>.FromArray([1, -1, 2, 0.5], 2, 2);

        var y = layer.Forward(x);

        // row 0: (1·1 − 1·2, 1·3 − 1·4, 1·5 − 1·6) + b; row 1: (2 + 1, 6 + 2, 10 + 3) + b
        Assert.Equal([-0.5, -2, 1, 3.5, 7, 15], y.Data);
        Assert.Equal([2, 3], y.Shape.ToArray());
    }

    [Fact]
    public void Backward_accumulates_parameter_gradients()
    {
        var layer = new Linear<double>(3, 2, new Random(1));
        var x = LayerTestData.Uniform(2, 4, 3);
        var dy = LayerTestData.Uniform(3, 4, 2);
        layer.Forward(x);
        layer.Backward(dy);
        var once = layer.Weight.Grad.Clone();
        var onceBias = layer.Bias!.Grad.Clone();
        layer.Forward(x);
        layer.Backward(dy);
        for (int i = 0; i < once.Length; i++) Assert.Equal(2 * once.Data[i], layer.Weight.Grad.Data[i], 1e-14);
        for (int i = 0; i < onceBias.Length; i++) Assert.Equal(2 * onceBias.Data[i], layer.Bias.Grad.Data[i], 1e-14);
    }

    [Fact]
    public void Initialisation_is_PyTorch_uniform_and_seeded()
    {
        var a = new Linear<double>(784, 100, new Random(42));
        var b = new Linear<double>(784, 100, new Random(42));
        var c = new Linear<double>(784, 100, new Random(43));
        Assert.Equal(a.Weight.Value.Data, b.Weight.Value.Data);
        Assert.Equal(a.Bias!.Value.Data, b.Bias!.Value.Data);
        Assert.NotEqual(a.Weight.Value.Data, c.Weight.Value.Data);

        double bound = 1 / Math.Sqrt(784);
        Assert.All(a.Weight.Value.Data, w => Assert.InRange(Math.Abs(w), 0, bound));
        Assert.All(a.Bias.Value.Data, w => Assert.InRange(Math.Abs(w), 0, bound));
        // 78 400 draws from U(−a, a): the largest is within 0.1 % of the bound, and the variance is a²/3.
        Assert.True(a.Weight.Value.Data.Max() > 0.999 * bound);
        double variance = a.Weight.Value.Data.Select(w => w * w).Average();
        Assert.InRange(variance, 0.98 * bound * bound / 3, 1.02 * bound * bound / 3);
    }

    [Fact]
    public void Parameters_have_PyTorch_names_and_shapes()
    {
        var layer = new Linear<double>(5, 3, new Random(0));
        Assert.Equal(["weight", "bias"], layer.NamedParameters().Select(p => p.Name));
        Assert.Equal([3, 5], layer.Weight.Value.Shape.ToArray());
        Assert.Equal([3], layer.Bias!.Value.Shape.ToArray());
        var noBias = new Linear<double>(5, 3, new Random(0), bias: false);
        Assert.Null(noBias.Bias);
        Assert.Equal(["weight"], noBias.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void Wrong_input_shape_names_expected_and_actual()
    {
        var layer = new Linear<float>(784, 100, new Random(0));
        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(Tensor<float>.Zeros(60, 100)));
        Assert.Contains("Linear(784→100) expects input (N, 784), got (60, 100)", ex.Message);
        Assert.Throws<ArgumentException>(() => layer.Forward(Tensor<float>.Zeros(784)));
    }

    [Fact]
    public void Backward_before_Forward_and_wrong_gradient_shape_throw()
    {
        var layer = new Linear<double>(3, 2, new Random(0));
        Assert.Throws<InvalidOperationException>(() => layer.Backward(Tensor<double>.Zeros(4, 2)));
        layer.Forward(Tensor<double>.Zeros(4, 3));
        var ex = Assert.Throws<ArgumentException>(() => layer.Backward(Tensor<double>.Zeros(4, 3)));
        Assert.Contains("(4, 2)", ex.Message);
    }

    [Fact]
    public void Prints_like_PyTorch()
    {
        Assert.Equal("Linear(in_features=784, out_features=100, bias=True)", new Linear<float>(784, 100, new Random(0)).ToString());
        Assert.Equal("Linear(in_features=3, out_features=2, bias=False)", new Linear<float>(3, 2, new Random(0), bias: false).ToString());
    }
}

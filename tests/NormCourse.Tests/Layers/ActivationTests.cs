using NormCourse.Analysis;
using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Tests.Layers;

public class ActivationTests
{
    public static TheoryData<string, int[]> Cases()
    {
        var data = new TheoryData<string, int[]>();
        foreach (var name in new[] { "ReLU", "Sigmoid", "Tanh" })
        {
            data.Add(name, [1, 1]);
            data.Add(name, [4, 7]);
            data.Add(name, [2, 3, 4, 5]);
        }
        return data;
    }

    private static Module<double> Create(string name) => name switch
    {
        "ReLU" => new ReLU<double>(),
        "Sigmoid" => new Sigmoid<double>(),
        _ => new Tanh<double>(),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_matches_central_differences(string name, int[] shape)
    {
        // Inputs in ±[0.2, 2.2): across the activations' curved range, and farther from ReLU's kink than
        // the checker's largest perturbation (2h = 2e-4).
        var x = LayerTestData.AwayFromZero(shape.Sum(), shape);
        for (int i = 0; i < x.Length; i++) x.Data[i] *= 2;
        var result = GradientChecker.Check(Create(name), x);
        Assert.True(result.MaxRelativeError < 1e-7, result.ToString());
    }

    [Fact]
    public void Forward_values_by_the_definitions()
    {
        var x = Tensor<double>.FromArray([-2, -0.5, 0, 0.5, 3], 5);
        Assert.Equal([0, 0, 0, 0.5, 3], new ReLU<double>().Forward(x).Data);
        var sigmoid = new Sigmoid<double>().Forward(x).Data;
        var tanh = new Tanh<double>().Forward(x).Data;
        for (int i = 0; i < x.Length; i++)
        {
            double v = x.Data[i];
            Assert.Equal(1 / (1 + Math.Exp(-v)), sigmoid[i], 1e-15);
            Assert.Equal((Math.Exp(v) - Math.Exp(-v)) / (Math.Exp(v) + Math.Exp(-v)), tanh[i], 1e-15);
        }
    }

    [Fact]
    public void ReLU_gradient_is_zero_at_and_below_zero()
    {
        var relu = new ReLU<double>();
        relu.Forward(Tensor<double>.FromArray([-1, 0, 2], 3));
        Assert.Equal([0, 0, 5], relu.Backward(Tensor<double>.FromArray([5, 5, 5], 3)).Data);
    }

    [Fact]
    public void Sigmoid_and_Tanh_saturate_without_NaN_in_float32()
    {
        var x = Tensor<float>.FromArray([-100f, 100f], 2);
        var s = new Sigmoid<float>();
        Assert.Equal([0f, 1f], s.Forward(x).Data);
        Assert.Equal([0f, 0f], s.Backward(Tensor<float>.Full(1f, 2)).Data);
        var t = new Tanh<float>();
        Assert.Equal([-1f, 1f], t.Forward(x).Data);
        Assert.Equal([0f, 0f], t.Backward(Tensor<float>.Full(1f, 2)).Data);
    }

    [Fact]
    public void Backward_before_Forward_or_with_a_wrong_shape_throws()
    {
        foreach (var name in new[] { "ReLU", "Sigmoid", "Tanh" })
        {
            var layer = Create(name);
            Assert.Throws<InvalidOperationException>(() => layer.Backward(Tensor<double>.Zeros(2)));
            layer.Forward(Tensor<double>.Zeros(2, 3));
            var ex = Assert.Throws<ArgumentException>(() => layer.Backward(Tensor<double>.Zeros(3, 2)));
            Assert.Contains("(2, 3)", ex.Message);
        }
    }

    [Fact]
    public void Prints_like_PyTorch()
    {
        Assert.Equal("ReLU()", new ReLU<float>().ToString());
        Assert.Equal("Sigmoid()", new Sigmoid<float>().ToString());
        Assert.Equal("Tanh()", new Tanh<float>().ToString());
    }
}

using NormCourse.Analysis;
using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Tests.Layers;

public class DropoutTests
{
    /// <summary>
    /// A dropout whose every Forward draws the same mask (a fresh <see cref="Random"/> with one seed each call),
    /// so the gradient checker's repeated forwards all see one fixed function.
    /// </summary>
    private sealed class FixedMaskDropout(double p, int seed) : Module<double>
    {
        private Dropout<double>? _inner;

        public override Tensor<double> Forward(Tensor<double> input)
        {
            _inner = new Dropout<double>(p, new Random(seed));
            return _inner.Forward(input);
        }

        public override Tensor<double> Backward(Tensor<double> gradOutput) => _inner!.Backward(gradOutput);
    }

    [Theory]
    [InlineData(0.0, new[] { 3, 4 })]
    [InlineData(0.5, new[] { 5, 6 })]
    [InlineData(0.2, new[] { 2, 3, 2, 2 })]
    public void Backward_with_a_fixed_mask_matches_central_differences(double p, int[] shape)
    {
        var result = GradientChecker.Check(new FixedMaskDropout(p, 11), LayerTestData.Uniform(3, shape));
        Assert.True(result.MaxRelativeError < 1e-7, result.ToString());
    }

    [Fact]
    public void Backward_multiplies_by_the_forward_mask()
    {
        const double p = 0.4;
        var dropout = new Dropout<double>(p, new Random(5));
        var x = LayerTestData.AwayFromZero(6, 10, 20);
        var y = dropout.Forward(x).Clone();
        var dy = LayerTestData.Uniform(7, 10, 20);
        var dx = dropout.Backward(dy);

        // Each output is either dropped (0) or kept and scaled (x/(1 − p)); the gradient follows the same
        // choice: dx = dy·y/x, i.e. 0 or dy/(1 − p).
        for (int i = 0; i < x.Length; i++)
        {
            bool kept = y.Data[i] != 0;
            Assert.Equal(kept ? x.Data[i] / (1 - p) : 0, y.Data[i], 1e-15);
            Assert.Equal(kept ? dy.Data[i] / (1 - p) : 0, dx.Data[i], 1e-15);
        }
    }

    [Fact]
    public void Drops_about_p_of_the_values_and_keeps_the_mean()
    {
        const double p = 0.3;
        var y = new Dropout<double>(p, new Random(1)).Forward(Tensor<double>.Full(1, 100, 100)).Data;
        double dropped = y.Count(v => v == 0) / 10000.0;
        // Binomial(10 000, 0.3): standard deviation 0.0046, so ±0.03 is more than six of them.
        Assert.InRange(dropped, p - 0.03, p + 0.03);
        Assert.InRange(y.Average(), 0.95, 1.05);
    }

    [Fact]
    public void Same_seed_same_mask_and_a_new_mask_every_call()
    {
        var x = Tensor<double>.Full(1, 8, 8);
        var a = new Dropout<double>(0.5, new Random(9));
        var b = new Dropout<double>(0.5, new Random(9));
        var first = a.Forward(x).Clone();
        Assert.Equal(first.Data, b.Forward(x).Data);
        Assert.NotEqual(first.Data, a.Forward(x).Data);
    }

    [Fact]
    public void Evaluation_mode_is_the_identity()
    {
        var dropout = new Dropout<double>(0.5, new Random(0));
        dropout.Eval();
        var x = LayerTestData.Uniform(1, 4, 5);
        Assert.Equal(x.Data, dropout.Forward(x).Data);
        var dy = LayerTestData.Uniform(2, 4, 5);
        Assert.Equal(dy.Data, dropout.Backward(dy).Data);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Probability_outside_0_to_1_throws(double p) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout<float>(p, new Random(0)));

    [Fact]
    public void Backward_before_Forward_throws_and_prints_like_PyTorch()
    {
        var dropout = new Dropout<float>(0.5, new Random(0));
        Assert.Throws<InvalidOperationException>(() => dropout.Backward(Tensor<float>.Zeros(2)));
        Assert.Equal("Dropout(p=0.5, inplace=False)", dropout.ToString());
        Assert.Equal("Dropout(p=0.25, inplace=False)", new Dropout<float>(0.25, new Random(0)).ToString());
    }
}

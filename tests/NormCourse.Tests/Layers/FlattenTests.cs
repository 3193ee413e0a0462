using NormCourse.Analysis;
using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Tests.Layers;

public class FlattenTests
{
    [Theory]
    [InlineData(new[] { 2, 3, 4, 5 })]
    [InlineData(new[] { 3, 7 })]
    [InlineData(new[] { 1, 2, 3 })]
    public void Backward_matches_central_differences(int[] shape)
    {
        var result = GradientChecker.Check(new Flatten<double>(), LayerTestData.Uniform(1, shape));
        Assert.True(result.MaxRelativeError < 1e-7, result.ToString());
    }

    [Fact]
    public void Keeps_the_batch_axis_and_the_row_major_order()
    {
        var x = LayerTestData.Uniform(2, 2, 3, 2, 2);
        var flatten = new Flatten<double>();
        var y = flatten.Forward(x);
        Assert.Equal([2, 12], y.Shape.ToArray());
        Assert.Equal(x[1, 2, 0, 1], y[1, 2 * 4 + 0 * 2 + 1]);

        var dx = flatten.Backward(y);
        Assert.Equal([2, 3, 2, 2], dx.Shape.ToArray());
        Assert.Equal(x.Data, dx.Data);
    }

    [Theory]
    [InlineData(2, 3, 2, 2)]
    [InlineData(64, 16, 7, 7)]   // 200 KiB: a tensor whose values start a way into their array
    public void Reuses_its_view_while_the_input_is_the_same_tensor(int n, int c, int h, int w)
    {
        var flatten = new Flatten<double>();
        var x = LayerTestData.Uniform(3, n, c, h, w);
        var y = flatten.Forward(x);
        Assert.Same(y, flatten.Forward(x));
        var dx = flatten.Backward(y);
        Assert.Same(dx, flatten.Backward(y));

        var other = LayerTestData.Uniform(4, n, c, h, w);
        var z = flatten.Forward(other);
        Assert.NotSame(y, z);
        Assert.Equal(other[n - 1, c - 1, h - 1, w - 1], z[n - 1, c * h * w - 1]);
    }

    [Fact]
    public void Errors_and_printing()
    {
        var flatten = new Flatten<double>();
        Assert.Throws<InvalidOperationException>(() => flatten.Backward(Tensor<double>.Zeros(2, 4)));
        flatten.Forward(Tensor<double>.Zeros(2, 2, 2));
        var ex = Assert.Throws<ArgumentException>(() => flatten.Backward(Tensor<double>.Zeros(4, 2)));
        Assert.Contains("(2, 4)", ex.Message);
        Assert.Equal("Flatten(start_dim=1, end_dim=-1)", flatten.ToString());
    }
}

using NormCourse.Analysis;
using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Tests.Layers;

public class PoolingTests
{
    private static Tensor<double> OneToSixteen() => Tensor<double>.FromArray([.. Enumerable.Range(1, 16).Select(i => (double)i)], 1, 1, 4, 4);

    [Theory]
    [InlineData(2, 3, 4, 4, 2, null)]     // non-overlapping
    [InlineData(1, 2, 5, 5, 3, 1)]        // overlapping
    [InlineData(2, 1, 5, 6, 3, 2)]        // overlapping, strided, a leftover column
    [InlineData(1, 2, 5, 5, 2, 3)]        // gaps between windows
    public void MaxPool_backward_matches_central_differences(int n, int c, int h, int w, int k, int? stride)
    {
        var result = GradientChecker.Check(new MaxPool2d<double>(k, stride), LayerTestData.Uniform(h * w + k, n, c, h, w));
        Assert.True(result.MaxRelativeError < 1e-7, result.ToString());
    }

    [Theory]
    [InlineData(2, 3, 4, 4, 2, null)]
    [InlineData(1, 2, 5, 5, 3, 1)]
    [InlineData(2, 1, 5, 6, 3, 2)]
    [InlineData(1, 2, 5, 5, 2, 3)]
    public void AvgPool_backward_matches_central_differences(int n, int c, int h, int w, int k, int? stride)
    {
        var result = GradientChecker.Check(new AvgPool2d<double>(k, stride), LayerTestData.Uniform(h * w + k, n, c, h, w));
        Assert.True(result.MaxRelativeError < 1e-7, result.ToString());
    }

    [Fact]
    public void MaxPool_forward_by_hand()
    {
        // x = [[1..4],[5..8],[9..12],[13..16]]: each window's maximum is its bottom-right value.
        Assert.Equal([6, 8, 14, 16], new MaxPool2d<double>(2).Forward(OneToSixteen()).Data);
        Assert.Equal([11, 12, 15, 16], new MaxPool2d<double>(3, 1).Forward(OneToSixteen()).Data);
    }

    [Fact]
    public void AvgPool_forward_by_hand()
    {
        // (1 + 2 + 5 + 6)/4 = 3.5, …; a 3×3 window of this linear ramp averages to its centre.
        Assert.Equal([3.5, 5.5, 11.5, 13.5], new AvgPool2d<double>(2).Forward(OneToSixteen()).Data);
        Assert.Equal([6, 7, 10, 11], new AvgPool2d<double>(3, 1).Forward(OneToSixteen()).Data);
    }

    [Fact]
    public void MaxPool_tie_sends_the_gradient_to_the_first_maximum()
    {
        var pool = new MaxPool2d<double>(2);
        pool.Forward(Tensor<double>.Full(1, 1, 1, 2, 2));
        Assert.Equal([3, 0, 0, 0], pool.Backward(Tensor<double>.Full(3, 1, 1, 1, 1)).Data);
    }

    [Fact]
    public void MaxPool_overlapping_windows_add_their_gradients()
    {
        // The centre 10 is the maximum of all four 2×2 windows of this 3×3 image.
        var pool = new MaxPool2d<double>(2, 1);
        pool.Forward(Tensor<double>.FromArray([0, 1, 0, 2, 10, 3, 0, 4, 0], 1, 1, 3, 3));
        var dx = pool.Backward(Tensor<double>.FromArray([1, 2, 3, 4], 1, 1, 2, 2));
        Assert.Equal([0, 0, 0, 0, 10, 0, 0, 0, 0], dx.Data);
    }

    [Fact]
    public void MaxPool_propagates_NaN_as_PyTorch()
    {
        var y = new MaxPool2d<double>(2).Forward(Tensor<double>.FromArray([1, double.NaN, 3, 2, 4, 5, 6, 7], 1, 1, 2, 4));
        Assert.True(double.IsNaN(y.Data[0]));
        Assert.Equal(7, y.Data[1]);
    }

    [Fact]
    public void AvgPool_backward_by_hand()
    {
        // Each of the four windows spreads its gradient over its 2×2 pixels, a quarter each.
        var pool = new AvgPool2d<double>(2);
        pool.Forward(OneToSixteen());
        var dx = pool.Backward(Tensor<double>.FromArray([4, 8, 12, 16], 1, 1, 2, 2));
        Assert.Equal([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], dx.Data);
    }

    [Fact]
    public void Errors_and_printing()
    {
        var max = new MaxPool2d<float>(2);
        var ex = Assert.Throws<ArgumentException>(() => max.Forward(Tensor<float>.Zeros(4, 8)));
        Assert.Contains("(N, C, H, W)", ex.Message);
        Assert.Contains("(4, 8)", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new AvgPool2d<float>(3).Forward(Tensor<float>.Zeros(1, 1, 2, 5)));
        Assert.Contains("smaller than the window", ex.Message);
        Assert.Throws<InvalidOperationException>(() => max.Backward(Tensor<float>.Zeros(1, 1, 1, 1)));
        Assert.Throws<InvalidOperationException>(() => new AvgPool2d<float>(2).Backward(Tensor<float>.Zeros(1, 1, 1, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2d<float>(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AvgPool2d<float>(2, 0));

        Assert.Equal("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)", max.ToString());
        Assert.Equal("AvgPool2d(kernel_size=3, stride=1, padding=0)", new AvgPool2d<float>(3, 1).ToString());
        Assert.Equal(2, max.Stride);
    }
}

using NormCourse.Analysis;
using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Tests.Layers;

public class Conv2dTests
{
    [Theory]
    [InlineData(2, 2, 3, 5, 5, 3, 1, 0, true)]
    [InlineData(1, 1, 2, 6, 6, 5, 1, 2, true)]
    [InlineData(1, 2, 1, 3, 4, 3, 1, 3, false)]
    [InlineData(2, 2, 3, 5, 5, 3, 1, 1, true)]
    [InlineData(2, 1, 2, 6, 5, 3, 2, 0, true)]
    [InlineData(1, 3, 2, 5, 6, 3, 2, 1, false)]
    [InlineData(3, 1, 1, 4, 4, 1, 1, 0, true)]
    [InlineData(1, 2, 2, 4, 4, 2, 2, 1, true)]
    public void Backward_matches_central_differences(int n, int c, int outC, int h, int w, int k, int stride, int padding, bool bias)
    {
        var layer = new Conv2d<double>(c, outC, k, new Random(7), stride, padding, bias);
        var result = GradientChecker.Check(layer, LayerTestData.Uniform(n + h, n, c, h, w));
        Assert.True(result.MaxRelativeError < 1e-7, result.ToString());
    }

    private static Conv2d<double> OneByOneWithKernel1234(int stride, int padding, double bias)
    {
        var layer = new Conv2d<double>(1, 1, 2, new Random(0), stride, padding);
        new double[] { 1, 2, 3, 4 }.CopyTo(layer.Weight.Value.Span);
        layer.Bias!.Value.Data[0] = bias;
        return layer;
    }

    [Fact]
    public void Forward_by_hand_stride_1_no_padding()
    {
        // x = [[1,2,3],[4,5,6],[7,8,9]], W = [[1,2],[3,4]], b = 0.5:
        // y[0,0] = 1·1 + 2·2 + 3·4 + 4·5 = 37, y[0,1] = 1·2 + 2·3 + 3·5 + 4·6 = 47,
        // y[1,0] = 1·4 + 2·5 + 3·7 + 4·8 = 67, y[1,1] = 1·5 + 2·6 + 3·8 + 4·9 = 77.
        var layer = OneByOneWithKernel1234(stride: 1, padding: 0, bias: 0.5);
        var y = layer.Forward(Tensor<double>.FromArray([1, 2, 3, 4, 5, 6, 7, 8, 9], 1, 1, 3, 3));
        Assert.Equal([1, 1, 2, 2], y.Shape.ToArray());
        Assert.Equal([37.5, 47.5, 67.5, 77.5], y.Data);
    }

    [Fact]
    public void Forward_by_hand_stride_2_padding_1()
    {
        // The padded image is 5×5 with x in the middle; windows start at padded (0,0), (0,2), (2,0), (2,2):
        // y[0,0] = 4·x[0,0] = 4;            y[0,1] = 3·x[0,1] + 4·x[0,2] = 6 + 12 = 18;
        // y[1,0] = 2·x[1,0] + 4·x[2,0] = 8 + 28 = 36;  y[1,1] = 1·5 + 2·6 + 3·8 + 4·9 = 77.
        var layer = OneByOneWithKernel1234(stride: 2, padding: 1, bias: 0);
        var y = layer.Forward(Tensor<double>.FromArray([1, 2, 3, 4, 5, 6, 7, 8, 9], 1, 1, 3, 3));
        Assert.Equal([1, 1, 2, 2], y.Shape.ToArray());
        Assert.Equal([4, 18, 36, 77], y.Data);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    public void Forward_matches_the_definition_with_several_channels(int stride, int padding)
    {
        const int n = 2, c = 3, outC = 4, h = 7, w = 6, k = 3;
        var layer = new Conv2d<double>(c, outC, k, new Random(3), stride, padding);
        var x = LayerTestData.Uniform(4, n, c, h, w);
        var y = layer.Forward(x);

        int outH = (h + 2 * padding - k) / stride + 1, outW = (w + 2 * padding - k) / stride + 1;
        Assert.Equal([n, outC, outH, outW], y.Shape.ToArray());
        // y[s, o, i, j] = b[o] + Σ_{c, u, v} W[o, c, u, v]·x[s, c, i·stride − p + u, j·stride − p + v]
        for (int s = 0; s < n; s++)
        for (int o = 0; o < outC; o++)
        for (int i = 0; i < outH; i++)
        for (int j = 0; j < outW; j++)
        {
            double sum = layer.Bias!.Value[o];
            for (int ch = 0; ch < c; ch++)
            for (int u = 0; u < k; u++)
            for (int v = 0; v < k; v++)
            {
                int row = i * stride - padding + u, col = j * stride - padding + v;
                if (row >= 0 && row < h && col >= 0 && col < w) sum += layer.Weight.Value[o, ch, u, v] * x[s, ch, row, col];
            }
            Assert.Equal(sum, y[s, o, i, j], 1e-12);
        }
    }

    [Fact]
    public void A_batch_split_into_chunks_gives_each_sample_its_own_result_and_sums_the_parameter_gradients()
    {
        // Enough samples for two full chunks of several samples and a short last one: every output and input gradient
        // must equal the sample's alone, and dW, db the sum over samples of their one-sample gradients (the loss is a sum).
        const int c = 2, outC = 3, h = 16, w = 16, k = 3;
        int perSample = c * k * k * h * w;      // padding 1 keeps 16×16
        int chunk = Conv2d<double>.ColumnBudget / perSample;
        Assert.True(chunk > 1, "the shape must put several samples in a chunk");
        int n = 2 * chunk + 3;
        var layer = new Conv2d<double>(c, outC, k, new Random(11), padding: 1);
        var x = LayerTestData.Uniform(12, n, c, h, w);
        var dy = LayerTestData.Uniform(13, n, outC, h, w);
        var y = layer.Forward(x).Data.ToArray();
        layer.ZeroGrad();
        var dx = layer.Backward(dy).Data.ToArray();
        var dW = layer.Weight.Grad.Data.ToArray();
        var db = layer.Bias!.Grad.Data.ToArray();

        var sumW = new double[dW.Length];
        var sumB = new double[db.Length];
        foreach (int s in new[] { 0, n / 2, n - 1 })
        {
            layer.ZeroGrad();
            var ys = layer.Forward(Tensor<double>.FromArray(x.Data.AsSpan(s * c * h * w, c * h * w).ToArray(), 1, c, h, w)).Data.ToArray();
            var dxs = layer.Backward(Tensor<double>.FromArray(dy.Data.AsSpan(s * outC * h * w, outC * h * w).ToArray(), 1, outC, h, w)).Data.ToArray();
            for (int i = 0; i < ys.Length; i++) Assert.Equal(ys[i], y[s * ys.Length + i], 1e-12);
            for (int i = 0; i < dxs.Length; i++) Assert.Equal(dxs[i], dx[s * dxs.Length + i], 1e-12);
        }
        for (int s = 0; s < n; s++)
        {
            layer.ZeroGrad();
            layer.Forward(Tensor<double>.FromArray(x.Data.AsSpan(s * c * h * w, c * h * w).ToArray(), 1, c, h, w));
            layer.Backward(Tensor<double>.FromArray(dy.Data.AsSpan(s * outC * h * w, outC * h * w).ToArray(), 1, outC, h, w));
            for (int i = 0; i < dW.Length; i++) sumW[i] += layer.Weight.Grad.Data[i];
            for (int i = 0; i < db.Length; i++) sumB[i] += layer.Bias.Grad.Data[i];
        }
        for (int i = 0; i < dW.Length; i++) Assert.Equal(sumW[i], dW[i], 1e-9);
        for (int i = 0; i < db.Length; i++) Assert.Equal(sumB[i], db[i], 1e-9);
    }

    [Fact]
    public void Initialisation_is_PyTorch_uniform_and_seeded()
    {
        var a = new Conv2d<double>(3, 8, 5, new Random(5));
        var b = new Conv2d<double>(3, 8, 5, new Random(5));
        Assert.Equal(a.Weight.Value.Data, b.Weight.Value.Data);
        Assert.Equal(a.Bias!.Value.Data, b.Bias!.Value.Data);
        Assert.Equal([8, 3, 5, 5], a.Weight.Value.Shape.ToArray());
        double bound = 1 / Math.Sqrt(3 * 5 * 5);
        Assert.All(a.Weight.Value.Data, v => Assert.InRange(Math.Abs(v), 0, bound));
        Assert.All(a.Bias.Value.Data, v => Assert.InRange(Math.Abs(v), 0, bound));
        Assert.True(a.Weight.Value.Data.Max() > 0.95 * bound);
    }

    [Fact]
    public void Properties_and_names()
    {
        var layer = new Conv2d<float>(3, 16, 3, new Random(0), stride: 2, padding: 1);
        Assert.Equal((3, 16, 3, 2, 1), (layer.InChannels, layer.OutChannels, layer.KernelSize, layer.Stride, layer.Padding));
        Assert.Equal(["weight", "bias"], layer.NamedParameters().Select(p => p.Name));
        Assert.Equal(["weight"], new Conv2d<float>(3, 16, 3, new Random(0), bias: false).NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void Wrong_rank_channels_or_size_throw_naming_the_shapes()
    {
        var layer = new Conv2d<float>(1, 6, 5, new Random(0));
        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(Tensor<float>.Zeros(60, 784)));
        Assert.Contains("(N, 1, H, W)", ex.Message);
        Assert.Contains("(60, 784)", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => layer.Forward(Tensor<float>.Zeros(2, 3, 28, 28)));
        Assert.Contains("(2, 3, 28, 28)", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => layer.Forward(Tensor<float>.Zeros(2, 1, 4, 28)));
        Assert.Contains("smaller than the kernel", ex.Message);
        Assert.Throws<InvalidOperationException>(() => new Conv2d<float>(1, 6, 5, new Random(0)).Backward(Tensor<float>.Zeros(1, 6, 1, 1)));
    }

    [Fact]
    public void Float32_agrees_with_float64()
    {
        var layer64 = new Conv2d<double>(2, 3, 3, new Random(8), stride: 2, padding: 1);
        var layer32 = new Conv2d<float>(2, 3, 3, new Random(8), stride: 2, padding: 1);
        var x64 = LayerTestData.Uniform(9, 2, 2, 7, 7);
        var y64 = layer64.Forward(x64);
        var y32 = layer32.Forward(Tensor<float>.From(x64));
        for (int i = 0; i < y64.Length; i++) Assert.Equal(y64.Data[i], y32.Data[i], 1e-5);

        var dy = LayerTestData.Uniform(10, y64.Shape.ToArray());
        var dx64 = layer64.Backward(dy);
        var dx32 = layer32.Backward(Tensor<float>.From(dy));
        for (int i = 0; i < dx64.Length; i++) Assert.Equal(dx64.Data[i], dx32.Data[i], 1e-5);
        for (int i = 0; i < layer64.Weight.Grad.Length; i++) Assert.Equal(layer64.Weight.Grad.Data[i], layer32.Weight.Grad.Data[i], 1e-5);
    }

    [Fact]
    public void Prints_like_PyTorch()
    {
        Assert.Equal("Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))", new Conv2d<float>(1, 6, 5, new Random(0)).ToString());
        Assert.Equal("Conv2d(3, 16, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False)",
            new Conv2d<float>(3, 16, 3, new Random(0), stride: 2, padding: 1, bias: false).ToString());
    }
}

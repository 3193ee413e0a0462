using System.Numerics;
using NormCourse.Analysis;
using NormCourse.Layers;
using NormCourse.Normalization;
using NormCourse.Tensors;

namespace NormCourse.Tests.Normalization;

public class BatchNormFoldingTests
{
    // Trains the BatchNorm's running statistics on a few batches and gives it non-trivial γ, β.
    private static void Warm<T>(Module<T> layer, BatchNorm<T> bn, int[] shape, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Init.Uniform(bn.Weight!.Value, 0.5, 2, random);
        Init.Uniform(bn.Bias!.Value, -1, 1, random);
        var x = Tensor<T>.Zeros(shape);
        for (int step = 0; step < 5; step++)
        {
            Init.Normal(x, 0.5, 2, random);
            bn.Forward(layer.Forward(x));
        }
        layer.Eval();
        bn.Eval();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FoldedLinearGivesTheSameOutputs(bool bias)
    {
        var random = new Random(11);
        var linear = new Linear<float>(20, 8, random, bias);
        var bn = new BatchNorm1d<float>(8);
        Warm(linear, bn, [32, 20], random);

        var folded = BatchNormFolding.Fold(linear, bn);
        var x = Tensor<float>.Zeros(16, 20);
        Init.Normal(x, 0, 3, random);
        var expected = bn.Forward(linear.Forward(x)).Clone();
        var actual = folded.Forward(x);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected.Data[i], actual.Data[i], 1e-5f * (1 + Math.Abs(expected.Data[i])));
    }

    [Fact]
    public void FoldedConvGivesTheSameOutputs()
    {
        var random = new Random(12);
        var conv = new Conv2d<float>(3, 4, 3, random, stride: 1, padding: 1);
        var bn = new BatchNorm2d<float>(4);
        Warm(conv, bn, [6, 3, 7, 7], random);

        var folded = BatchNormFolding.Fold(conv, bn);
        var x = Tensor<float>.Zeros(2, 3, 7, 7);
        Init.Normal(x, 0, 1, random);
        var expected = bn.Forward(conv.Forward(x)).Clone();
        var actual = folded.Forward(x);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected.Data[i], actual.Data[i], 1e-5f * (1 + Math.Abs(expected.Data[i])));
    }

    [Fact]
    public void RefusesABatchNormWithoutRunningStatisticsOrOfTheWrongWidth()
    {
        var linear = new Linear<float>(4, 3, new Random(1));
        Assert.Throws<ArgumentException>(() => BatchNormFolding.Fold(linear, new BatchNorm1d<float>(3, trackRunningStats: false)));
        Assert.Throws<ArgumentException>(() => BatchNormFolding.Fold(linear, new BatchNorm1d<float>(5)));
    }
}

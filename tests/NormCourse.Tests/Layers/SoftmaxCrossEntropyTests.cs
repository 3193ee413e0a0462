using NormCourse.Analysis;
using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Tests.Layers;

public class SoftmaxCrossEntropyTests
{
    /// <summary>The loss as a one-value module of the logits, so the gradient checker can differentiate it.</summary>
    private sealed class LossAsModule(int[] labels) : Module<double>
    {
        private readonly SoftmaxCrossEntropy<double> _loss = new();

        public override Tensor<double> Forward(Tensor<double> input) =>
            Tensor<double>.FromArray([_loss.Forward(input, labels)], 1);

        public override Tensor<double> Backward(Tensor<double> gradOutput)
        {
            var g = _loss.Backward().Clone();
            for (int i = 0; i < g.Length; i++) g.Data[i] *= gradOutput.Data[0];
            return g;
        }
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(4, 10)]
    [InlineData(7, 3)]
    public void Backward_matches_central_differences(int n, int classes)
    {
        var logits = LayerTestData.Uniform(n * classes, n, classes);
        for (int i = 0; i < logits.Length; i++) logits.Data[i] *= 3;
        var labels = Enumerable.Range(0, n).Select(i => (i * 7 + 1) % classes).ToArray();
        var result = GradientChecker.Check(new LossAsModule(labels), logits);
        Assert.True(result.MaxRelativeError < 1e-7, result.ToString());
    }

    [Fact]
    public void Loss_is_log_sum_exp_minus_the_labelled_logit()
    {
        var loss = new SoftmaxCrossEntropy<double>();
        double value = loss.Forward(Tensor<double>.FromArray([1, 2, 3, 0, 0, 0], 2, 3), [2, 1]);
        double row0 = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)) - 3;
        double row1 = Math.Log(3);
        Assert.Equal((row0 + row1) / 2, value, 1e-14);
        Assert.Equal(Math.Exp(3) / (Math.Exp(1) + Math.Exp(2) + Math.Exp(3)), loss.Probabilities[0, 2], 1e-15);
        Assert.Equal(1.0 / 3, loss.Probabilities[1, 0], 1e-15);
    }

    [Fact]
    public void Gradient_is_softmax_minus_onehot_over_N()
    {
        var loss = new SoftmaxCrossEntropy<double>();
        loss.Forward(Tensor<double>.FromArray([0, 0, 0, 0, Math.Log(3), 0], 2, 3), [0, 1]);
        var g = loss.Backward().Data;
        // Row 0: softmax = (1/3, 1/3, 1/3), label 0. Row 1: softmax = (1/5, 3/5, 1/5), label 1.
        double[] expected = [(1.0 / 3 - 1) / 2, 1.0 / 6, 1.0 / 6, 0.1, (0.6 - 1) / 2, 0.1];
        for (int i = 0; i < 6; i++) Assert.Equal(expected[i], g[i], 1e-15);
    }

    [Fact]
    public void Large_logits_stay_finite_in_float32()
    {
        var loss = new SoftmaxCrossEntropy<float>();
        // Row 0: log(e^1000 + e^0) − 0 = 1000 + log(1 + e^−1000) = 1000 (a naive exp would overflow to ∞);
        // row 1: log(e^−1000 + e^1000) − 1000 = 0. The mean is 500.
        Assert.Equal(1000, loss.Forward(Tensor<float>.FromArray([1000f, 0f, -1000f, 1000f], 2, 2), [1, 1]) * 2, 1e-3);
        Assert.All(loss.Backward().Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void CountCorrect_counts_argmax_hits()
    {
        var loss = new SoftmaxCrossEntropy<double>();
        loss.Forward(Tensor<double>.FromArray([3, 1, 0, 0, 2, 1, 5, 5, 1], 3, 3), [0, 2, 0]);
        // Row 0 predicts 0 (hit), row 1 predicts 1 (miss), row 2 ties 0 and 1 → the first, 0 (hit).
        Assert.Equal(2, loss.CountCorrect());
    }

    [Fact]
    public void Bad_labels_and_shapes_throw_naming_them()
    {
        var loss = new SoftmaxCrossEntropy<double>();
        var logits = Tensor<double>.Zeros(4, 10);
        var ex = Assert.Throws<ArgumentException>(() => loss.Forward(logits, [1, 2, 10, 3]));
        Assert.Contains("index 2", ex.Message);
        Assert.Contains("10", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => loss.Forward(logits, [1, -1, 0, 3]));
        Assert.Contains("index 1 is -1", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => loss.Forward(logits, [1, 2, 3]));
        Assert.Contains("3 labels", ex.Message);
        Assert.Throws<ArgumentException>(() => loss.Forward(Tensor<double>.Zeros(40), [1]));
    }

    [Fact]
    public void Use_before_Forward_throws()
    {
        var loss = new SoftmaxCrossEntropy<double>();
        Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Throws<InvalidOperationException>(() => loss.Probabilities);
        Assert.Throws<InvalidOperationException>(() => loss.CountCorrect());
        Assert.Equal("CrossEntropyLoss()", loss.ToString());
    }
}

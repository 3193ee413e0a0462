using NormCourse.Analysis;
using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Tests.Layers;

public class GradientCheckerFloorTests
{
    /// <summary>y = −3·x₀, ignoring x₁: the largest gradient is negative and the other is exactly zero.</summary>
    private sealed class NegativeSlope : Module<double>
    {
        public override Tensor<double> Forward(Tensor<double> input) => Tensor<double>.FromArray([-3 * input.Data[0]], 1);

        public override Tensor<double> Backward(Tensor<double> gradOutput) =>
            Tensor<double>.FromArray([-3 * gradOutput.Data[0], 0], 2);
    }

    [Fact]
    public void A_zero_gradient_beside_a_negative_one_is_measured_against_the_floor()
    {
        // The floor is a thousandth of the largest |gradient|; taken with its sign it would vanish and turn the
        // exact zero into 0/0.
        var result = GradientChecker.Check(new NegativeSlope(), Tensor<double>.FromArray([0.5, 0.7], 2));
        Assert.True(result.MaxRelativeError < 1e-7, result.ToString());
    }
}

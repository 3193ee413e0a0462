using System.Text.Json;
using NormCourse.Normalization;
using NormCourse.Tensors;

namespace NormCourse.Tests.Reference;

/// <summary>
/// The hand-checkable BatchNorm examples of normalization-semantics.md §1, against the rounded numbers printed
/// there (the fixture's <c>documented</c> block). This is independent of PyTorch's full-precision values, which
/// <see cref="PyTorchFixtureTests"/> checks.
/// </summary>
public sealed class OracleTests
{
    private static double[] Numbers(JsonElement documented, string key) =>
        documented.GetProperty(key).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    [Fact]
    public void Reference_section1_example_one_training_step()
    {
        var f = ReferenceFixture.Load("oracle_bn1d_reference_section1");
        var doc = f.Documented!.Value;
        double tol = doc.GetProperty("tolerance").GetDouble();
        var bn = new BatchNorm1d<double>(3);
        var y = bn.Forward(Tensor<double>.FromArray([1, 2, 3, 4, 6, 8, 0, -1, 5, 3, 3, 3], 4, 3));

        var column0 = Numbers(doc, "output_column0");
        for (int i = 0; i < 4; i++) Assert.Equal(column0[i], y[i, 0], tol);
        var runningMean = Numbers(doc, "running_mean");
        var runningVar = Numbers(doc, "running_var");
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(runningMean[c], bn.RunningMean![c], tol);
            Assert.Equal(runningVar[c], bn.RunningVar![c], tol);
        }
        Assert.Equal(1, bn.NumBatchesTracked);
    }

    [Fact]
    public void Reference_section1_two_values_momentum_one_gives_unbiased_variance()
    {
        var f = ReferenceFixture.Load("oracle_bn1d_two_values_momentum1");
        var doc = f.Documented!.Value;
        double tol = doc.GetProperty("tolerance").GetDouble();
        var bn = new BatchNorm1d<double>(1, momentum: 1.0);
        bn.Forward(Tensor<double>.FromArray([0.0, 2.0], 2, 1));
        Assert.Equal(Numbers(doc, "running_mean")[0], bn.RunningMean![0], tol);
        Assert.Equal(Numbers(doc, "running_var")[0], bn.RunningVar![0], tol);
    }
}

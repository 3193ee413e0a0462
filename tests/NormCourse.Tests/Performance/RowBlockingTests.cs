using NormCourse.Layers;
using NormCourse.Normalization;
using NormCourse.Tensors;

namespace NormCourse.Tests.Performance;

/// <summary>
/// LayerNorm and RMSNorm work through large inputs a block of rows at a time (32 rows of 1024). A whole (70, 1024)
/// batch, three blocks with a short last one, must give what the layer gives one row at a time, where there is a
/// single block: the same outputs and input gradients row by row, and parameter gradients equal to the sum of the
/// per-row ones.
/// </summary>
public class RowBlockingTests
{
    public static TheoryData<string> Layers() => ["LayerNorm", "RMSNorm"];

    private static Module<float> Make(string name)
    {
        Module<float> layer = name == "LayerNorm" ? new LayerNorm<float>(1024) : new RMSNorm<float>(1024);
        var random = new Random(5);
        foreach (var p in layer.Parameters()) Init.Uniform(p.Value, 0.5, 1.5, random);
        return layer;
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Blocked_batch_equals_row_by_row(string name)
    {
        const int rows = 70, d = 1024;
        var x = Tensor<float>.Zeros(rows, d);
        var dy = Tensor<float>.Zeros(rows, d);
        Init.Normal(x, 3, 2, new Random(1));
        Init.Normal(dy, 0, 1, new Random(2));

        var whole = Make(name);
        var y = whole.Forward(x).Clone();
        var dx = whole.Backward(dy).Clone();

        var single = Make(name);
        var gradSums = single.Parameters().Select(p => new double[p.Value.Length]).ToArray();
        for (int r = 0; r < rows; r++)
        {
            single.ZeroGrad();
            var yr = single.Forward(Tensor<float>.FromArray(x.Span[(r * d)..((r + 1) * d)].ToArray(), 1, d));
            var dxr = single.Backward(Tensor<float>.FromArray(dy.Span[(r * d)..((r + 1) * d)].ToArray(), 1, d));
            for (int j = 0; j < d; j++)
            {
                Assert.Equal(yr.Data[j], y.Data[r * d + j], 1e-5f);
                Assert.Equal(dxr.Data[j], dx.Data[r * d + j], 1e-5f);
            }
            var ps = single.Parameters().ToArray();
            for (int p = 0; p < ps.Length; p++)
                for (int j = 0; j < d; j++) gradSums[p][j] += ps[p].Grad.Data[j];
        }
        var wholeParameters = whole.Parameters().ToArray();
        for (int p = 0; p < wholeParameters.Length; p++)
            for (int j = 0; j < d; j++)
                Assert.Equal(gradSums[p][j], wholeParameters[p].Grad.Data[j], 1e-3);
    }
}

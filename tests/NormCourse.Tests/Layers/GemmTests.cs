using NormCourse.Tensors;

namespace NormCourse.Tests.Layers;

public class GemmTests
{
    /// <summary>C = op(A)·op(B) by the definition, three plain loops; A is stored as op(A)ᵀ when transposed.</summary>
    private static double[] Naive(double[] a, bool ta, double[] b, bool tb, int m, int n, int k)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            double s = 0;
            for (int p = 0; p < k; p++)
            {
                double aip = ta ? a[p * m + i] : a[i * k + p];
                double bpj = tb ? b[j * k + p] : b[p * n + j];
                s += aip * bpj;
            }
            c[i * n + j] = s;
        }
        return c;
    }

    public static TheoryData<int, int, int, bool, bool, bool> Cases()
    {
        var data = new TheoryData<int, int, int, bool, bool, bool>();
        foreach (var (m, n, k) in new[] { (1, 1, 1), (3, 5, 7), (17, 13, 11), (8, 1, 9), (1, 33, 2) })
        foreach (bool ta in new[] { false, true })
        foreach (bool tb in new[] { false, true })
        foreach (bool acc in new[] { false, true })
            data.Add(m, n, k, ta, tb, acc);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Multiply_matches_the_triple_loop(int m, int n, int k, bool ta, bool tb, bool accumulate)
    {
        var a = LayerTestData.Uniform(1, m * k).Data.ToArray();
        var b = LayerTestData.Uniform(2, k * n).Data.ToArray();
        var c0 = LayerTestData.Uniform(3, m * n).Data.ToArray();
        var c = (double[])c0.Clone();

        Gemm.Multiply<double>(a, ta, b, tb, c, m, n, k, accumulate);

        var expected = Naive(a, ta, b, tb, m, n, k);
        for (int i = 0; i < m * n; i++)
        {
            double want = expected[i] + (accumulate ? c0[i] : 0);
            Assert.True(Math.Abs(c[i] - want) <= 1e-13 * (1 + Math.Abs(want)), $"C[{i}] = {c[i]}, expected {want}");
        }
    }

    [Fact]
    public void Multiply_rejects_too_short_operands()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply<double>(new double[5], false, new double[6], false, new double[4], 2, 2, 3));
        Assert.Contains("2×3", ex.Message);
    }
}

using NormCourse.Tensors;

namespace NormCourse.Tests.Performance;

/// <summary>
/// The float32 GEMM, through the panel-row width this machine picks (<see cref="PanelRowWidthTests"/> runs every
/// width), against the triple loop in double, for every transpose case and for sizes that hit each ragged edge: rows
/// not a multiple of 12 or 4, columns not a multiple of 16 or 3, k shorter than a vector, not a multiple of 16, and
/// longer than one 256-deep block.
/// </summary>
public class FloatGemmTests
{
    public static TheoryData<int, int, int, bool, bool> Cases()
    {
        var data = new TheoryData<int, int, int, bool, bool>();
        foreach (var (m, n, k) in new[]
                 {
                     (1, 1, 1), (2, 10, 7), (12, 16, 16), (13, 17, 17), (60, 100, 784), (100, 784, 60), (60, 784, 100),
                     (25, 33, 300), (7, 5, 15), (5, 3, 513), (24, 48, 31), (256, 10, 100), (10, 16, 17), (30, 20, 50),
                     (6, 784, 25), (16, 100, 150), (8, 40, 9),
                 })
        foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
            data.Add(m, n, k, ta, tb);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_multiply_matches_the_triple_loop(int m, int n, int k, bool ta, bool tb)
    {
        var a = TripleLoop.Operand(1, m * k);
        var b = TripleLoop.Operand(2, k * n);
        var c0 = TripleLoop.Operand(3, m * n);
        foreach (bool accumulate in new[] { false, true })
        {
            var c = (float[])c0.Clone();
            Gemm.Multiply<float>(a, ta, b, tb, c, m, n, k, accumulate);
            TripleLoop.AssertProduct(a, ta, b, tb, c0, accumulate, c, m, n, k, "");
        }
    }

    [Fact]
    public void Float_multiply_leaves_C_beyond_m_by_n_alone()
    {
        var c = new float[3 * 17 + 5];
        c.AsSpan(3 * 17).Fill(42);
        Gemm.Multiply<float>(TripleLoop.Operand(1, 3 * 20), false, TripleLoop.Operand(2, 20 * 17), false, c, 3, 17, 20);
        Assert.All(c[(3 * 17)..], v => Assert.Equal(42f, v));
    }
}

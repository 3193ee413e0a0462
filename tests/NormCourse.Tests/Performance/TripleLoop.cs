namespace NormCourse.Tests.Performance;

/// <summary>
/// The float32 GEMM tests' common ground: seeded operands and the check of C against the triple loop in double.
/// </summary>
internal static class TripleLoop
{
    /// <summary><paramref name="length"/> values uniform in [−1, 1), from <paramref name="seed"/>.</summary>
    public static float[] Operand(int seed, int length)
    {
        var random = new Random(seed);
        var v = new float[length];
        for (int i = 0; i < length; i++) v[i] = random.NextSingle() * 2 - 1;
        return v;
    }

    /// <summary>
    /// Asserts C = (C₀ when <paramref name="accumulated"/>, else 0) + op(A)·op(B) element by element, within the error
    /// of summing k float32 products: about k·u·Σ|terms|, allowed 2(k + 1)·u.
    /// </summary>
    public static void AssertProduct(float[] a, bool ta, float[] b, bool tb, float[] c0, bool accumulated, float[] c,
        int m, int n, int k, string label)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double want = accumulated ? c0[i * n + j] : 0, magnitude = Math.Abs(want);
                for (int p = 0; p < k; p++)
                {
                    double term = (double)(ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                    want += term;
                    magnitude += Math.Abs(term);
                }
                double bound = 2 * (k + 1) * 6e-8 * magnitude + 1e-30;
                Assert.True(Math.Abs(c[i * n + j] - want) <= bound,
                    $"{label}C[{i},{j}] = {c[i * n + j]}, expected {want} (bound {bound}) for m={m} n={n} k={k} ta={ta} tb={tb} acc={accumulated}");
            }
    }
}

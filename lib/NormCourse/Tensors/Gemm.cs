namespace NormCourse.Tensors;

/// <summary>
/// General matrix multiply on row-major spans: C = op(A)·op(B) (+ C when accumulating),
/// with op(A) of shape m×k, op(B) of shape k×n and C of shape m×n. op transposes when asked.
/// Every dense layer and the convolution (through im2col) rest on this one kernel.
/// </summary>
public static class Gemm
{
    /// <summary>C ← op(A)·op(B), or C ← C + op(A)·op(B) when <paramref name="accumulate"/> is true.</summary>
    public static void Multiply<T>(
        ReadOnlySpan<T> a, bool transposeA,
        ReadOnlySpan<T> b, bool transposeB,
        Span<T> c, int m, int n, int k, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Length < m * k) throw new ArgumentException($"A holds {a.Length} values; {m}×{k} needs {m * k}.", nameof(a));
        if (b.Length < k * n) throw new ArgumentException($"B holds {b.Length} values; {k}×{n} needs {k * n}.", nameof(b));
        if (c.Length < m * n) throw new ArgumentException($"C holds {c.Length} values; {m}×{n} needs {m * n}.", nameof(c));
        if (!accumulate) c[..(m * n)].Clear();

        // i-p-j loop order: the inner loop runs along a row of B and a row of C, both contiguous,
        // so it is one vectorised multiply-add (when B is not transposed).
        for (int i = 0; i < m; i++)
        {
            var cRow = c.Slice(i * n, n);
            for (int p = 0; p < k; p++)
            {
                T aip = transposeA ? a[p * m + i] : a[i * k + p];
                if (aip == T.Zero) continue;
                if (!transposeB)
                {
                    TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), aip, cRow, cRow);
                }
                else
                {
                    for (int j = 0; j < n; j++) cRow[j] += aip * b[j * k + p];
                }
            }
        }
    }
}

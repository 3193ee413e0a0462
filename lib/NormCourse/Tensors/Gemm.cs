using System.Runtime.InteropServices;

namespace NormCourse.Tensors;

/// <summary>
/// General matrix multiply on row-major spans: C = op(A)·op(B) (+ C when accumulating),
/// with op(A) of shape m×k, op(B) of shape k×n and C of shape m×n. op transposes when asked.
/// Every dense layer and the convolution (through im2col) rest on this one kernel.
/// </summary>
/// <remarks>
/// float32 takes <see cref="PackedGemm"/>'s register-blocked kernels on a machine with AVX-512, AVX2 with FMA, or
/// Arm64 (<see cref="PackedGemm.IsSupported"/>); everything else (float64, both operands transposed, other machines)
/// takes the plain loop below, which is also the readable definition of the product. Both are tested against the
/// triple loop.
/// </remarks>
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
        if (m == 0 || n == 0 || k == 0) return;

        if (typeof(T) == typeof(float) && PackedGemm.IsSupported && !(transposeA && transposeB))
        {
            PackedGemm.MultiplyAdd(
                MemoryMarshal.Cast<T, float>(a), transposeA, MemoryMarshal.Cast<T, float>(b), transposeB,
                MemoryMarshal.Cast<T, float>(c), m, n, k);
            return;
        }
        MultiplyAddPlain(a, transposeA, b, transposeB, c, m, n, k);
    }

    /// <summary>C += op(A)·op(B) by rows of C: the definition, with the inner loop along contiguous memory.</summary>
    private static void MultiplyAddPlain<T>(
        ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, Span<T> c, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            var cRow = c.Slice(i * n, n);
            if (transposeB && !transposeA)
            {
                // C[i, j] = row i of A · row j of B (B stored n×k): a dot product of two contiguous runs.
                var aRow = a.Slice(i * k, k);
                for (int j = 0; j < n; j++) cRow[j] += TensorPrimitives.Dot(aRow, b.Slice(j * k, k));
                continue;
            }
            // i-p-j order: C's row i gains A[i, p] times row p of op(B), one multiply-add along contiguous rows.
            for (int p = 0; p < k; p++)
            {
                T aip = transposeA ? a[p * m + i] : a[i * k + p];
                if (aip == T.Zero) continue;
                if (!transposeB) TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), aip, cRow, cRow);
                else for (int j = 0; j < n; j++) cRow[j] += aip * b[j * k + p];
            }
        }
    }
}

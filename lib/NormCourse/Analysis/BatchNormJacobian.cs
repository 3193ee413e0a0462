using MathNet.Numerics.LinearAlgebra;
using Vector = MathNet.Numerics.LinearAlgebra.Vector<double>;

namespace NormCourse.Analysis;

/// <summary>
/// The Jacobian of BatchNorm's training-mode output with respect to its input, for one feature over a batch of m:
/// <code>
/// J_ij = ∂y_i/∂x_j = (γ/σ)·(δ_ij − 1/m − x̂_i·x̂_j/m),    σ = √(σ²_B + ε)
/// J = (γ/σ)·(I − 11ᵀ/m − x̂x̂ᵀ/m)
/// </code>
/// A scaled projection: it removes the component along 1 (the mean, which BatchNorm cannot see) and along x̂ (the
/// scale), so it has two zero eigenvalues, with eigenvectors 1 and x̂ (the second is ε/(σ²+ε)·γ/σ, zero as ε → 0),
/// and m − 2 eigenvalues γ/σ. J is symmetric, and the backward pass is dx = Jᵀ·dy.
/// </summary>
public static class BatchNormJacobian
{
    /// <summary>The m×m Jacobian for the batch <paramref name="x"/> of one feature.</summary>
    /// <param name="x">The feature's values over the batch; at least two.</param>
    /// <param name="gamma">γ.</param>
    /// <param name="eps">ε inside the root.</param>
    public static Matrix<double> Compute(IReadOnlyList<double> x, double gamma = 1.0, double eps = 1e-5)
    {
        int m = x.Count;
        if (m < 2) throw new ArgumentException($"A batch statistic needs at least two values, got {m}.", nameof(x));
        double mean = x.Average();
        double variance = x.Sum(v => (v - mean) * (v - mean)) / m;
        double invStd = 1 / Math.Sqrt(variance + eps);
        var xhat = Vector.Build.Dense(m, i => (x[i] - mean) * invStd);
        var ones = Vector.Build.Dense(m, 1.0);
        var projection = Matrix<double>.Build.DenseIdentity(m)
                         - ones.OuterProduct(ones) / m
                         - xhat.OuterProduct(xhat) / m;
        return gamma * invStd * projection;
    }
}

using MathNet.Numerics.LinearAlgebra;
using NormCourse.Analysis;
using NormCourse.Normalization;
using NormCourse.Tensors;

namespace NormCourse.Tests.Normalization;

public class BatchNormJacobianTests
{
    private static readonly double[] X = [0.3, -1.2, 2.5, 0.7, -0.4, 1.9];

    [Fact]
    public void TransposeTimesDyIsTheLayersBackward()
    {
        const double gamma = 1.7;
        var j = BatchNormJacobian.Compute(X, gamma);
        var bn = new BatchNorm1d<double>(1);
        bn.Weight!.Value.Span[0] = gamma;
        bn.Forward(Tensor<double>.FromArray((double[])X.Clone(), X.Length, 1));
        double[] dy = [0.5, -1, 0.25, 2, -0.75, 1.5];
        var dx = bn.Backward(Tensor<double>.FromArray(dy, X.Length, 1));
        var expected = j.TransposeThisAndMultiply(Vector<double>.Build.Dense(dy));
        for (int i = 0; i < X.Length; i++) Assert.Equal(expected[i], dx.Data[i], 12);
    }

    [Fact]
    public void MatchesFiniteDifferencesOfTheForwardPass()
    {
        var j = BatchNormJacobian.Compute(X);
        const double h = 1e-6;
        for (int col = 0; col < X.Length; col++)
        {
            var plus = (double[])X.Clone();
            var minus = (double[])X.Clone();
            plus[col] += h;
            minus[col] -= h;
            var yPlus = new BatchNorm1d<double>(1).Forward(Tensor<double>.FromArray(plus, X.Length, 1));
            var yMinus = new BatchNorm1d<double>(1).Forward(Tensor<double>.FromArray(minus, X.Length, 1));
            for (int row = 0; row < X.Length; row++)
                Assert.Equal((yPlus.Data[row] - yMinus.Data[row]) / (2 * h), j[row, col], 7);
        }
    }

    [Fact]
    public void IsAScaledProjectionWithTwoZeroEigenvaluesAlongOnesAndXhat()
    {
        var j = BatchNormJacobian.Compute(X, gamma: 1, eps: 1e-12);
        Assert.True(j.Equals(j.Transpose()) || (j - j.Transpose()).InfinityNorm() < 1e-12);
        var eigenvalues = j.Evd().EigenValues.Select(v => v.Real).OrderBy(v => v).ToArray();
        double mean = X.Average(), invStd = 1 / Math.Sqrt(X.Sum(v => (v - mean) * (v - mean)) / X.Length);
        Assert.Equal(0, eigenvalues[0], 9);
        Assert.Equal(0, eigenvalues[1], 9);
        for (int k = 2; k < X.Length; k++) Assert.Equal(invStd, eigenvalues[k], 9);

        var ones = Vector<double>.Build.Dense(X.Length, 1.0);
        var xhat = Vector<double>.Build.Dense(X.Length, i => (X[i] - mean) * invStd);
        Assert.True((j * ones).L2Norm() < 1e-9);
        Assert.True((j * xhat).L2Norm() < 1e-6);
    }

    [Fact]
    public void RefusesABatchOfOne() =>
        Assert.Throws<ArgumentException>(() => BatchNormJacobian.Compute([1.0]));
}

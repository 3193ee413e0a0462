using NormCourse.Layers;
using NormCourse.Normalization;
using NormCourse.Tensors;

namespace NormCourse.Tests.Lessons;

/// <summary>
/// Lesson 07's invariance table, checked numerically: a = W x (no bias) followed by BN, LN or RMSNorm (no affine),
/// each transformation applied and the normalized outputs compared. The expected answers are the papers' tables
/// (Ba et al. 2016 Table 1; Zhang &amp; Sennrich 2019 Table 1), not anything the code computes.
/// </summary>
public class Lesson07NormInvarianceTests
{
    private const int Cases = 12, Inputs = 7, Units = 5;
    private static readonly string[] Transforms =
        ["weight-matrix rescale", "weight-matrix recenter", "weight-vector rescale", "dataset rescale", "dataset recenter", "single-case rescale"];

    // Ba et al. 2016 Table 1 (BN, LN) and Zhang & Sennrich 2019 Table 1 (RMSNorm), in the order of Transforms.
    public static TheoryData<string, bool[]> PaperTable => new()
    {
        { "BatchNorm", [true, false, true, true, true, false] },
        { "LayerNorm", [true, true, false, true, false, true] },
        { "RMSNorm", [true, false, false, true, false, true] },
    };

    [Theory]
    [MemberData(nameof(PaperTable))]
    public void EachTransformationChangesTheNormalizedOutputExactlyWhenThePaperSaysItIsNotInvariant(string norm, bool[] invariant)
    {
        for (int seed = 0; seed < 3; seed++)
        {
            var random = new Random(seed);
            double[,] x = Random2d(Cases, Inputs, random, offset: 1.0), w = Random2d(Units, Inputs, random, offset: 0.3);
            var baseline = Normalize(norm, x, w);
            for (int t = 0; t < Transforms.Length; t++)
            {
                var (x2, w2) = Apply(t, x, w, random);
                double change = Normalize(norm, x2, w2).Zip(baseline, (a, b) => Math.Abs(a - b)).Max();
                if (invariant[t]) Assert.True(change < 1e-7, $"{norm}, {Transforms[t]}, seed {seed}: output changed by {change:E2}, the paper says invariant");
                else Assert.True(change > 1e-2, $"{norm}, {Transforms[t]}, seed {seed}: output changed by only {change:E2}, the paper says not invariant");
            }
        }
    }

    private static (double[,] X, double[,] W) Apply(int transform, double[,] x, double[,] w, Random random)
    {
        var (xs, ws) = ((double[,])x.Clone(), (double[,])w.Clone());
        double factor = 2.5 + random.NextDouble();
        double[] shiftW = [.. Enumerable.Range(0, Inputs).Select(_ => random.NextDouble() + 0.5)];
        double[] shiftX = [.. Enumerable.Range(0, Inputs).Select(_ => random.NextDouble() + 0.5)];
        switch (transform)
        {
            case 0: Scale(ws, factor, rows: Units); break;
            case 1: for (int h = 0; h < Units; h++) for (int d = 0; d < Inputs; d++) ws[h, d] += shiftW[d]; break;
            case 2: for (int d = 0; d < Inputs; d++) ws[0, d] *= factor; break;
            case 3: Scale(xs, factor, rows: Cases); break;
            case 4: for (int n = 0; n < Cases; n++) for (int d = 0; d < Inputs; d++) xs[n, d] += shiftX[d]; break;
            default: for (int d = 0; d < Inputs; d++) xs[0, d] *= factor; break;
        }
        return (xs, ws);
    }

    private static void Scale(double[,] m, double factor, int rows)
    {
        for (int i = 0; i < rows; i++) for (int j = 0; j < m.GetLength(1); j++) m[i, j] *= factor;
    }

    private static double[,] Random2d(int rows, int cols, Random random, double offset)
    {
        var m = new double[rows, cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) m[i, j] = random.NextDouble() * 2 - 1 + offset;
        return m;
    }

    private static double[] Normalize(string norm, double[,] x, double[,] w)
    {
        var a = Tensor<double>.Zeros(Cases, Units);
        for (int n = 0; n < Cases; n++)
            for (int h = 0; h < Units; h++)
            {
                double sum = 0;
                for (int d = 0; d < Inputs; d++) sum += w[h, d] * x[n, d];
                a.Data[n * Units + h] = sum;
            }
        // A tiny ε so that "invariant" holds to rounding, as in the papers' ε-free formulas.
        Module<double> layer = norm switch
        {
            "BatchNorm" => new BatchNorm1d<double>(Units, eps: 1e-14, affine: false),
            "LayerNorm" => new LayerNorm<double>(Units, eps: 1e-14, elementwiseAffine: false),
            _ => new RMSNorm<double>(Units, eps: 1e-14, elementwiseAffine: false),
        };
        return layer.Forward(a).Data.ToArray();
    }
}

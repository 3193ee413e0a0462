using NormCourse.Layers;
using NormCourse.Normalization;
using NormCourse.Normalization.Reference;
using NormCourse.Tensors;
using NormCourse.Tensors.Simd;

using static NormCourse.Tests.Performance.KernelTestData;

namespace NormCourse.Tests.Performance;

/// <summary>
/// The float32 kernels at every vector width — 512, 256 and 128 bits — on whatever machine runs the tests, not only at
/// the width the machine picks: an AVX-512 machine would otherwise never run the AVX2 and SSE/NEON code its users run.
/// A width the CPU lacks runs in the runtime's software vectors, slowly but with the same results. Each kernel is held
/// to an independent reference at the tolerances of <see cref="FastLayerPathTests"/>:
/// the elementwise kernels to <see cref="NormalizationKernels"/>, the moments to the plain loops in float64, the
/// row-at-a-time LayerNorm/RMSNorm to the formulas evaluated here in double. The shapes have full vectors and ragged
/// tails at every width (37 = 2·16 + 5 = 4·8 + 5 = 9·4 + 1) and, for the rows, more than the 32 rows after which the
/// float column sums are flushed; (161, 1000) and (257, 517) are large enough (<see cref="TwoHalves.RowSplitValues"/>)
/// that the kernels split their rows into two unequal halves with separate sums, and (9, 7, 1100) that they split its
/// channels 3 + 4 (<see cref="TwoHalves.ChannelSplitValues"/>); (3, 9000) is wider than the 4096 channels whose
/// constants an (N, C) pass keeps on the stack at a time, so it goes through in three pieces. The elementwise loops for float and double (<see cref="InPlace"/>, the ReLU and sigmoid gradients)
/// are held to their scalar definitions exactly, with tails of every length.
/// </summary>
public unsafe class EveryVectorWidthTests
{
    private static readonly int[] Widths = [512, 256, 128];

    public static TheoryData<int, int, int, int> WidthsAndLayouts()
    {
        var data = new TheoryData<int, int, int, int>();
        foreach (int width in Widths)
            foreach (var (outer, channels, inner) in new[] { (60, 100, 1), (7, 37, 1), (600, 20, 1), (161, 1000, 1), (3, 9000, 1), (3, 5, 49), (9, 7, 1100), (2, 4, 784), (1, 9, 1027), (1, 4, 15) })
                data.Add(width, outer, channels, inner);
        return data;
    }

    public static TheoryData<int, int, int> WidthsAndRows()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int width in Widths)
            foreach (var (rows, d) in new[] { (70, 37), (33, 64), (5, 1027), (40, 3), (257, 517) })
                data.Add(width, rows, d);
        return data;
    }

    public static TheoryData<int, int> WidthsAndLengths()
    {
        var data = new TheoryData<int, int>();
        foreach (int width in Widths)
            foreach (int n in new[] { 0, 1, 7, 16, 37, 1000 })
                data.Add(width, n);
        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsAndLayouts))]
    public void Normalize_and_backward_equal_the_reference(int width, int outer, int channels, int inner)
    {
        var layout = new ChannelLayout(outer, channels, inner);
        var all = layout.Bounds(Range.All);
        int n = layout.Length;
        var x = Floats(1, n);
        var mean = PerChannel(2, channels, -1, 1);
        var invStd = PerChannel(3, channels, 0.5, 2);
        var scale = PerChannel(4, channels, -2, 2);
        var shift = PerChannel(5, channels, -1, 1);
        float[] y = new float[n], yRef = new float[n];
        FloatKernels.Normalize(x, layout, all, mean, invStd, scale, shift, y, (VectorWidth)width);
        NormalizationKernels.Normalize<float>(x, layout, mean, invStd, scale, shift, yRef);
        Close(yRef, y, "y");

        var dy = Floats(6, n);
        var weight = Floats(7, inner);
        var (k, a, b) = (PerChannel(8, channels, -2, 2), PerChannel(9, channels, -1, 1), PerChannel(10, channels, -1, 1));
        foreach (var w in new[] { Array.Empty<float>(), weight })
        foreach (var mu in new[] { mean, Array.Empty<double>() })
        {
            float[] dx = new float[n], dxRef = new float[n];
            FloatKernels.Backward(dy, w, x, layout, all, mu, invStd, k, a, b, dx, (VectorWidth)width);
            NormalizationKernels.Backward<float>(dy, w, x, layout, mu, invStd, k, a, b, dxRef);
            Close(dxRef, dx, (w.Length == 0 ? "dx" : "dx (weighted)") + (mu.Length == 0 ? ", uncentred" : ""));
        }

        var rows = new ChannelLayout(1, outer * channels, inner);
        var rowMean = PerChannel(11, rows.Channels, -1, 1);
        var rowInvStd = PerChannel(12, rows.Channels, 0.5, 2);
        var (gamma, beta) = (Floats(13, inner), Floats(14, inner));
        foreach (bool centred in new[] { true, false })
        {
            float[] yr = new float[n], yrRef = new float[n];
            double[] m = centred ? rowMean : [];
            float[] g = centred ? gamma : [], bt = centred ? beta : [];
            FloatKernels.NormalizeRows(x, rows, m, rowInvStd, g, bt, yr, (VectorWidth)width);
            NormalizationKernels.NormalizeRows<float>(x, rows, m, rowInvStd, g, bt, yrRef);
            Close(yrRef, yr, centred ? "rows, affine" : "rows, uncentred");
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndLayouts))]
    public void Float_moments_equal_the_double_loops(int width, int outer, int channels, int inner)
    {
        var layout = new ChannelLayout(outer, channels, inner);
        foreach (float offset in new[] { 0f, 1e6f })
        {
            var x = Floats(1, layout.Length, offset);
            var xd = x.Select(v => (double)v).ToArray();
            double[] mean = new double[channels], variance = new double[channels], meanRef = new double[channels], varianceRef = new double[channels];
            FloatMoments.MeanAndVariance(x, layout, 0, channels, mean, variance, (VectorWidth)width);
            Moments.MeanAndVariance<double>(xd, layout, meanRef, varianceRef);
            for (int c = 0; c < channels; c++)
            {
                Assert.Equal(meanRef[c], mean[c], 1e-12 * Math.Abs(meanRef[c]) + 1e-12);
                Assert.Equal(varianceRef[c], variance[c], 1e-9 * varianceRef[c] + 1e-12);
            }
            FloatMoments.MeanSquare(x, layout, mean, (VectorWidth)width);
            Moments.MeanSquare<double>(xd, layout, meanRef);
            for (int c = 0; c < channels; c++) Assert.Equal(meanRef[c], mean[c], 1e-12 * meanRef[c]);
        }

        var a = Floats(2, layout.Length);
        var b = Floats(3, layout.Length);
        var w = Floats(4, inner);
        var center = PerChannel(5, channels, -1, 1);
        foreach (var weight in inner > 1 ? new[] { Array.Empty<float>(), w } : [Array.Empty<float>()])
        foreach (var mu in new[] { Array.Empty<double>(), center })
        {
            // The reference weighs in float (w·a rounded to float), so the double run gets the same products.
            var wa = a.Select((v, i) => weight.Length == 0 ? (double)v : (double)(weight[i % inner] * v)).ToArray();
            double[] s = new double[channels], d = new double[channels], sRef = new double[channels], dRef = new double[channels];
            FloatMoments.SumAndDot(a, weight, b, mu, layout, 0, channels, s, d, (VectorWidth)width);
            Moments.WeightedSumAndDot<double>(wa, [], b.Select(v => (double)v).ToArray(), mu, layout, sRef, dRef);
            for (int c = 0; c < channels; c++)
            {
                Assert.Equal(sRef[c], s[c], 1e-10);
                Assert.Equal(dRef[c], d[c], 1e-10);
            }
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndRows))]
    public void Row_norm_equals_the_formulas_in_double(int width, int rows, int d)
    {
        const double eps = 1e-5;
        int n = rows * d;
        var x = Floats(1, n, offset: 3);
        var dy = Floats(2, n);
        var gamma = Floats(3, d);
        var beta = Floats(4, d);
        foreach (bool centred in new[] { true, false })
        {
            // The reference: per row μ (0 uncentred), spread, s = 1/√(spread + ε), x̂ = (x − μ)·s, y = γ ⊙ x̂ + β,
            // dx = s·(g − Σg/D − x̂·Σ(g ⊙ x̂)/D) with g = γ ⊙ dy (no Σg term uncentred), dγ = Σ_rows dy ⊙ x̂, dβ = Σ_rows dy.
            double[] yRef = new double[n], dxRef = new double[n], dGammaRef = new double[d], dBetaRef = new double[d];
            double[] meanRef = new double[rows], spreadRef = new double[rows];
            for (int r = 0; r < rows; r++)
            {
                var row = Enumerable.Range(r * d, d).Select(i => (double)x[i]).ToArray();
                double mu = centred ? row.Average() : 0;
                double spread = row.Select(v => (v - mu) * (v - mu)).Average();
                double s = 1 / Math.Sqrt(spread + eps);
                (meanRef[r], spreadRef[r]) = (mu, spread);
                double sumG = 0, sumGXhat = 0;
                for (int j = 0; j < d; j++)
                {
                    double xhat = (row[j] - mu) * s, g = (double)gamma[j] * dy[r * d + j];
                    yRef[r * d + j] = gamma[j] * xhat + (centred ? beta[j] : 0);
                    sumG += g;
                    sumGXhat += g * xhat;
                    dGammaRef[j] += dy[r * d + j] * xhat;
                    dBetaRef[j] += dy[r * d + j];
                }
                for (int j = 0; j < d; j++)
                {
                    double xhat = (row[j] - mu) * s, g = (double)gamma[j] * dy[r * d + j];
                    dxRef[r * d + j] = s * (g - (centred ? sumG / d : 0) - xhat * sumGXhat / d);
                }
            }

            float[] y = new float[n], dx = new float[n], blockSums = new float[FloatRowNorm.BlockSumsLength(d)];
            double[] mean = new double[rows], spreadOut = new double[rows], invStd = new double[rows], dGamma = new double[d], dBeta = new double[d];
            fixed (float* px = x, pdy = dy, pg = gamma, pb = beta, py = y, pdx = dx, pbs = blockSums)
            fixed (double* pm = mean, ps = spreadOut, pi = invStd, pdg = dGamma, pdb = dBeta)
            {
                FloatRowNorm.Forward(px, rows, d, centred, eps, pg, centred ? pb : null, pm, ps, pi, py, (VectorWidth)width);
                FloatRowNorm.Backward(px, pdy, rows, d, centred, pm, pi, pg, pdg, centred ? pdb : null, pbs, pdx, (VectorWidth)width);
            }
            string what = centred ? "LayerNorm" : "RMSNorm";
            for (int r = 0; r < rows; r++)
            {
                Assert.Equal(meanRef[r], mean[r], 1e-12 * Math.Abs(meanRef[r]) + 1e-12);
                Assert.Equal(spreadRef[r], spreadOut[r], 1e-9 * spreadRef[r]);
            }
            Close(yRef, y, 2e-5, what + " y");
            Close(dxRef, dx, 2e-4, what + " dx");
            Close(dGammaRef, dGamma.Select(v => (float)v).ToArray(), 2e-5, what + " dγ");
            if (centred) Close(dBetaRef, dBeta.Select(v => (float)v).ToArray(), 2e-5, what + " dβ");
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndLengths))]
    public void In_place_updates_equal_the_scalar_loop_exactly(int width, int n)
    {
        var d = Floats(1, n);
        var x = Floats(2, n);
        const float s = -0.137f;
        float[] scaled = (float[])d.Clone(), sum = (float[])d.Clone();
        InPlace.AddScaled<float>(scaled, x, s, scaled: true, (VectorWidth)width);
        InPlace.AddScaled<float>(sum, x, 1, scaled: false, (VectorWidth)width);
        Assert.Equal(d.Select((v, i) => v + s * x[i]).ToArray(), scaled);
        Assert.Equal(d.Select((v, i) => v + x[i]).ToArray(), sum);

        double[] dd = d.Select(v => (double)v).ToArray();
        InPlace.AddScaled<double>(dd, x.Select(v => (double)v).ToArray(), 0.25, scaled: true, (VectorWidth)width);
        Assert.Equal(d.Select((v, i) => v + 0.25 * x[i]).ToArray(), dd);
    }

    [Theory]
    [MemberData(nameof(WidthsAndLengths))]
    public void ReLU_gradient_is_dy_where_y_is_positive(int width, int n)
    {
        // y has exact zeros (the rectifier's output) as well as positive values; the gradient there is 0, as PyTorch's.
        var y = Floats(1, n).Select(v => MathF.Max(v, 0)).ToArray();
        var dy = Floats(2, n);
        var dx = new float[n];
        ReLU<float>.MaskGradient(y, dy, dx, (VectorWidth)width);
        Assert.Equal(y.Select((v, i) => v > 0 ? dy[i] : 0f).ToArray(), dx);

        double[] yd = y.Select(v => (double)v).ToArray(), dyd = dy.Select(v => (double)v).ToArray(), dxd = new double[n];
        ReLU<double>.MaskGradient(yd, dyd, dxd, (VectorWidth)width);
        Assert.Equal(yd.Select((v, i) => v > 0 ? dyd[i] : 0).ToArray(), dxd);
    }

    [Theory]
    [MemberData(nameof(WidthsAndLengths))]
    public void Sigmoid_gradient_is_one_minus_y_times_y_times_dy(int width, int n)
    {
        // y in (0, 1) as the logistic function gives it, with 0 and 1 themselves (saturated units), where σ' is 0.
        var y = Floats(1, n).Select((v, i) => i % 9 == 0 ? 1f : i % 11 == 0 ? 0f : 1f / (1f + MathF.Exp(-v))).ToArray();
        var dy = Floats(2, n);
        var dx = new float[n];
        Sigmoid<float>.Gradient(y, dy, dx, (VectorWidth)width);
        Assert.Equal(y.Select((v, i) => (1f - v) * v * dy[i]).ToArray(), dx);

        double[] yd = y.Select(v => (double)v).ToArray(), dyd = dy.Select(v => (double)v).ToArray(), dxd = new double[n];
        Sigmoid<double>.Gradient(yd, dyd, dxd, (VectorWidth)width);
        Assert.Equal(yd.Select((v, i) => (1 - v) * v * dyd[i]).ToArray(), dxd);
    }
}

using NormCourse.Normalization;
using NormCourse.Tensors;
using NormCourse.Tensors.Simd;

using static NormCourse.Tests.Performance.KernelTestData;

namespace NormCourse.Tests.Performance;

/// <summary>
/// The normalization kernels split a large tensor into two halves of rows, and hand the second half to a
/// <see cref="Worker"/> when there is one. Each half writes its own outputs and sums, added in a fixed order, so the
/// results must be the same floats with the worker as without it (where this thread runs both halves). An (N, C, L)
/// block splits its channels instead, each computed whole by one thread. A worker of the
/// test's own is used, so that no other test holds it and the second half does run on the other thread. That the split
/// itself is right — the halves and their added sums against the reference loops — is <see cref="EveryVectorWidthTests"/>'
/// work, on the same shapes.
/// </summary>
public unsafe class WorkerSplitTests
{
    private static readonly Worker Worker = new();

    public static TheoryData<int> Widths() => new(512, 256, 128);

    public static TheoryData<int, int, int, int> WidthsAndLayouts()
    {
        var data = new TheoryData<int, int, int, int>();
        foreach (int width in new[] { 512, 256, 128 })
        {
            data.Add(width, 161, 1000, 1);   // (N, C), 161,000 values: rows split 80 + 81
            data.Add(width, 9, 7, 1100);     // (N, C, L), 69,300 values: channels split 3 + 4
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsAndLayouts))]
    public void BatchNorm_kernels_give_the_same_floats_with_the_worker(int width, int outer, int channels, int inner)
    {
        var layout = new ChannelLayout(outer, channels, inner);
        var vectors = (VectorWidth)width;
        int n = layout.Length;
        var x = Floats(1, n, offset: 5);
        var dy = Floats(2, n);
        var weight = inner > 1 ? Floats(8, inner) : [];   // a weight along the runs, as LayerNorm's γ along a row
        var (mean, invStd, k, a, b) = (PerChannel(3, channels, 4, 6), PerChannel(4, channels, 0.5, 2), PerChannel(5, channels, -2, 2),
            PerChannel(6, channels, -1, 1), PerChannel(7, channels, -1, 1));

        (double[] Mean, double[] Variance, double[] Sum, double[] Dot, float[] Y, float[] Dx) Run(Worker? worker)
        {
            double[] m = new double[channels], v = new double[channels], s = new double[channels], d = new double[channels];
            float[] y = new float[n], dx = new float[n];
            FloatMoments.MeanAndVariance(x, layout, 0, channels, m, v, vectors, worker);
            FloatMoments.SumAndDot(dy, weight, x, mean, layout, 0, channels, s, d, vectors, worker);
            FloatKernels.Normalize(x, layout, (0, channels), mean, invStd, k, a, y, vectors, worker);
            FloatKernels.Backward(dy, weight, x, layout, (0, channels), mean, invStd, k, a, b, dx, vectors, worker);
            return (m, v, s, d, y, dx);
        }

        var alone = Run(null);
        var shared = Run(Worker);
        Assert.Equal(alone.Mean, shared.Mean);
        Assert.Equal(alone.Variance, shared.Variance);
        Assert.Equal(alone.Sum, shared.Sum);
        Assert.Equal(alone.Dot, shared.Dot);
        Assert.Equal(alone.Y, shared.Y);
        Assert.Equal(alone.Dx, shared.Dx);
    }

    [Fact]
    public void Only_large_channel_layouts_and_row_layouts_are_offered_the_worker()
    {
        // (N, C, L) passes split channels, which lost to one thread below 2 Mi values (TwoHalves.ChannelShareValues);
        // (N, C) passes split rows by their own sizes.
        Assert.Null(TwoHalves.WorkerFor(new ChannelLayout(64, 6, 784)));          // LeNet's first BatchNorm2d
        Assert.Null(TwoHalves.WorkerFor(new ChannelLayout(128, 16, 1024 - 1)));   // one value short of 2 Mi
        Assert.Same(NormCourse.Tensors.Worker.Shared, TwoHalves.WorkerFor(new ChannelLayout(128, 16, 1024)));
        Assert.Same(NormCourse.Tensors.Worker.Shared, TwoHalves.WorkerFor(new ChannelLayout(4096, 256, 1)));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Row_norm_gives_the_same_floats_with_the_worker(int width)
    {
        const int rows = 257, d = 517;   // 132,869 values: split 128 + 129 rows
        var x = Floats(1, rows * d, offset: 3);
        var dy = Floats(2, rows * d);
        var gamma = Floats(3, d);
        var beta = Floats(4, d);
        foreach (bool centred in new[] { true, false })
        {
            (double[] Mean, double[] InvStd, double[] DGamma, double[] DBeta, float[] Y, float[] Dx) Run(Worker? worker)
            {
                float[] y = new float[rows * d], dx = new float[rows * d], blockSums = new float[FloatRowNorm.BlockSumsLength(d)];
                double[] mean = new double[rows], spread = new double[rows], invStd = new double[rows], dGamma = new double[d], dBeta = new double[d];
                fixed (float* px = x, pdy = dy, pg = gamma, pb = beta, py = y, pdx = dx, pbs = blockSums)
                fixed (double* pm = mean, ps = spread, pi = invStd, pdg = dGamma, pdb = dBeta)
                {
                    FloatRowNorm.Forward(px, rows, d, centred, 1e-5, pg, centred ? pb : null, pm, ps, pi, py, (VectorWidth)width, worker);
                    FloatRowNorm.Backward(px, pdy, rows, d, centred, pm, pi, pg, pdg, centred ? pdb : null, pbs, pdx, (VectorWidth)width, worker);
                }
                return (mean, invStd, dGamma, dBeta, y, dx);
            }

            var alone = Run(null);
            var shared = Run(Worker);
            Assert.Equal(alone.Mean, shared.Mean);
            Assert.Equal(alone.InvStd, shared.InvStd);
            Assert.Equal(alone.DGamma, shared.DGamma);
            Assert.Equal(alone.DBeta, shared.DBeta);
            Assert.Equal(alone.Y, shared.Y);
            Assert.Equal(alone.Dx, shared.Dx);
        }
    }
}

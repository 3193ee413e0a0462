using System.Runtime.InteropServices;
using NormCourse.Normalization;
using NormCourse.Tensors.Simd;

using static NormCourse.Tests.Performance.KernelTestData;

namespace NormCourse.Tests.Performance;

/// <summary>
/// The elementwise kernels store their vectors at the output's aligned addresses (<see cref="AlignedOutput"/>), so where
/// a loop starts depends on where the arrays lie. These tests hold the alignment arithmetic to its definition, check that
/// every output value is written with nothing beyond it touched, and that the kernels give the same floats bit for bit
/// wherever their arrays lie: a training run must repeat another's numbers whatever addresses the runtime gave it.
/// </summary>
public unsafe class AlignedOutputTests
{
    private static readonly int[] Widths = [512, 256, 128];

    [Fact]
    public void Head_counts_the_floats_before_the_first_aligned_address()
    {
        float* line = (float*)NativeMemory.AlignedAlloc(256, 64);
        try
        {
            foreach (int count in new[] { 16, 8, 4 })
                for (int k = 0; k < 16; k++)
                {
                    int expected = (count - k % count) % count;   // floats from line + k to the next multiple of count·4 bytes
                    Assert.Equal(expected, Alignment.Head(line + k, count, 100));
                    Assert.Equal(Math.Min(expected, 2), Alignment.Head(line + k, count, 2));
                }
            // A float pointer one byte off a float boundary never reaches an aligned address: no head.
            Assert.Equal(0, Alignment.Head((float*)((byte*)line + 1), 16, 100));
        }
        finally
        {
            NativeMemory.AlignedFree(line);
        }
    }

    [Fact]
    public void SamePhase_is_the_first_place_at_the_same_offset_in_a_cache_line()
    {
        float* block = (float*)NativeMemory.AlignedAlloc(1024, 64);
        try
        {
            for (int b = 0; b < 16; b++)
                for (int l = 0; l < 16; l++)
                {
                    float* buffer = block + b, like = block + 64 + l;
                    float* place = Alignment.SamePhase(buffer, like);
                    long ahead = place - buffer;
                    Assert.InRange(ahead, 0, 15);
                    Assert.Equal(0, ((nint)place - (nint)like) % 64);
                }
        }
        finally
        {
            NativeMemory.AlignedFree(block);
        }
    }

    /// <summary>y = 3x + 1, exact for the small integers used here, as a vector and one value at a time.</summary>
    private readonly struct ThreeXPlusOne<TF, TD>(float* x) : IElementwise<TF, TD>
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        public TF Vector(int i) => TF.MultiplyAdd(TF.Load(x + i), TF.Create(3), TF.Create(1));

        public float One(int i) => 3 * x[i] + 1;
    }

    [Fact]
    public void Write_sets_every_value_and_nothing_past_the_end_wherever_the_output_lies()
    {
        Check<Float512, Double512>(pastCache: false);
        Check<Float256, Double256>(pastCache: false);
        Check<Float128, Double128>(pastCache: false);
    }

    /// <summary>
    /// Outputs on a cache line of whole lines go out by non-temporal stores, the others by <see cref="AlignedOutput.Write"/>:
    /// every length and offset gives the values and nothing else.
    /// </summary>
    [Fact]
    public void WritePastCache_sets_every_value_and_nothing_past_the_end_wherever_the_output_lies()
    {
        Check<Float512, Double512>(pastCache: true);
        Check<Float256, Double256>(pastCache: true);
        Check<Float128, Double128>(pastCache: true);
    }

    /// <summary>Every length up to 80 at every offset in the first 17 floats of a buffer that starts on a cache line.</summary>
    private static void Check<TF, TD>(bool pastCache) where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        var x = Enumerable.Range(0, 80).Select(i => (float)(i % 11 - 5)).ToArray();
        const int length = 112;
        float* y = (float*)NativeMemory.AlignedAlloc(length * sizeof(float), 64);
        try
        {
            fixed (float* px = x)
                for (int n = 0; n <= 80; n++)
                    for (int offset = 0; offset < 17; offset++)
                    {
                        new Span<float>(y, length).Fill(float.NaN);
                        if (pastCache)
                        {
                            AlignedOutput.WritePastCache<TF, TD, ThreeXPlusOne<TF, TD>>(y + offset, n, new(px));
                            AlignedOutput.FinishPastCache();
                        }
                        else AlignedOutput.Write<TF, TD, ThreeXPlusOne<TF, TD>>(y + offset, n, new(px));
                        for (int i = 0; i < length; i++)
                        {
                            if (i >= offset && i < offset + n) Assert.Equal(3 * x[i - offset] + 1, y[i]);
                            else Assert.True(float.IsNaN(y[i]), $"n = {n}, offset {offset}: y[{i}] was written");
                        }
                    }
        }
        finally
        {
            NativeMemory.AlignedFree(y);
        }
    }

    [Fact]
    public void Row_norm_writes_dx_past_the_cache_only_above_its_threshold()
    {
        Assert.False(FloatRowNorm.WritesPastCache(2048, 1024));   // 8 MiB exactly
        Assert.True(FloatRowNorm.WritesPastCache(2049, 1024));
        Assert.True(FloatRowNorm.WritesPastCache(4096, 1024));
        Assert.False(FloatRowNorm.WritesPastCache(60, 100));
        Assert.True(FloatRowNorm.WritesPastCache(1 << 20, 1 << 12));   // 16 GiB: the size is counted in 64 bits
    }

    public static TheoryData<int, int, int> WidthsAndLargeRows()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int width in Widths)
            foreach (var (rows, d) in new[] { (2100, 1024), (2200, 1000) })   // rows on lines, and rows of 4,000 bytes that are not
                data.Add(width, rows, d);
        return data;
    }

    /// <summary>
    /// A backward pass above <see cref="FloatRowNorm.PastCacheBytes"/> writes dx past the caches; every row's dx is the
    /// one the same rows give in blocks small enough to be written the ordinary way, bit for bit, and dγ and dβ match to
    /// the rounding of their column sums' order.
    /// </summary>
    [Theory]
    [MemberData(nameof(WidthsAndLargeRows))]
    public void Row_norm_backward_past_the_cache_gives_the_floats_of_the_ordinary_stores(int width, int rows, int d)
    {
        Assert.True(FloatRowNorm.WritesPastCache(rows, d));
        const int block = 100;
        Assert.False(FloatRowNorm.WritesPastCache(block, d));
        long n = (long)rows * d;
        float* x = (float*)NativeMemory.AlignedAlloc((nuint)(n * sizeof(float)), 64), dy = (float*)NativeMemory.AlignedAlloc((nuint)(n * sizeof(float)), 64);
        float* dx = (float*)NativeMemory.AlignedAlloc((nuint)(n * sizeof(float)), 64), dxBlocks = (float*)NativeMemory.AlignedAlloc((nuint)(n * sizeof(float)), 64);
        try
        {
            var random = new Random(11);
            for (long i = 0; i < n; i++)
            {
                x[i] = (float)(random.NextDouble() * 4 - 1);
                dy[i] = (float)(random.NextDouble() * 2 - 1);
            }
            var gamma = Floats(3, d, offset: 1);
            var beta = Floats(4, d);
            double[] mean = new double[rows], spread = new double[rows], invStd = new double[rows];
            double[] dGamma = new double[d], dBeta = new double[d], dGammaBlocks = new double[d], dBetaBlocks = new double[d];
            var blockSums = new float[FloatRowNorm.BlockSumsLength(d)];
            var vectors = (VectorWidth)width;
            fixed (float* pg = gamma, pb = beta, pbs = blockSums)
            fixed (double* pm = mean, ps = spread, pi = invStd, pdg = dGamma, pdb = dBeta, pdgb = dGammaBlocks, pdbb = dBetaBlocks)
            {
                FloatRowNorm.Forward(x, rows, d, true, 1e-5, pg, pb, pm, ps, pi, dxBlocks, vectors);
                FloatRowNorm.Backward(x, dy, rows, d, true, pm, pi, pg, pdg, pdb, pbs, dx, vectors);
                for (int first = 0; first < rows; first += block)
                {
                    long at = (long)first * d;
                    FloatRowNorm.Backward(x + at, dy + at, Math.Min(block, rows - first), d, true, pm + first, pi + first, pg, pdgb, pdbb, pbs,
                        dxBlocks + at, vectors);
                }
            }
            for (long i = 0; i < n; i++)
                if (BitConverter.SingleToInt32Bits(dx[i]) != BitConverter.SingleToInt32Bits(dxBlocks[i]))
                    Assert.Fail($"dx[{i / d}, {i % d}] = {dx[i]:R} past the cache, {dxBlocks[i]:R} in blocks");
            // The column sums add in float over at most 32 rows before double, in groups that begin elsewhere for the
            // blocks: each differs by a few float roundings of terms of order 1 (a lost group of rows would be off by ~5).
            for (int c = 0; c < d; c++)
            {
                Assert.Equal(dGammaBlocks[c], dGamma[c], 1e-6 * rows);
                Assert.Equal(dBetaBlocks[c], dBeta[c], 1e-6 * rows);
            }
        }
        finally
        {
            NativeMemory.AlignedFree(x);
            NativeMemory.AlignedFree(dy);
            NativeMemory.AlignedFree(dx);
            NativeMemory.AlignedFree(dxBlocks);
        }
    }

    [Fact]
    public void HalfAPageFrom_is_the_first_line_half_a_page_from_the_like_line()
    {
        byte* block = (byte*)NativeMemory.AlignedAlloc(3 * 4096, 4096);
        try
        {
            foreach (int b in new[] { 0, 4, 60, 64, 2044, 2048, 4092 })
                foreach (int l in new[] { 0, 24, 88, 2048, 2100, 4000 })
                {
                    float* buffer = (float*)(block + b), like = (float*)(block + 4096 + l);
                    float* place = Alignment.HalfAPageFrom(buffer, like);
                    long ahead = place - buffer;
                    Assert.InRange(ahead, 0, Alignment.PageFloats - 1);
                    Assert.Equal(0, (nint)place % 64);
                    long likeLine = (nint)like / 64 * 64;
                    Assert.Equal(2048, (((nint)place - likeLine) % 4096 + 4096) % 4096);
                }
        }
        finally
        {
            NativeMemory.AlignedFree(block);
        }
    }

    public static TheoryData<int, int, int, int> WidthsAndLayouts()
    {
        var data = new TheoryData<int, int, int, int>();
        foreach (int width in Widths)
            foreach (var (outer, channels, inner) in new[] { (60, 100, 1), (7, 37, 1), (3, 5, 49), (2, 4, 784), (1, 9, 1027) })
                data.Add(width, outer, channels, inner);
        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsAndLayouts))]
    public void BatchNorm_kernels_give_the_same_floats_wherever_the_tensors_lie(int width, int outer, int channels, int inner)
    {
        var layout = new ChannelLayout(outer, channels, inner);
        var all = layout.Bounds(Range.All);
        int n = layout.Length;
        var x = Floats(1, n + 32);
        var dy = Floats(2, n + 32);
        var (mean, invStd) = (PerChannel(3, channels, -1, 1), PerChannel(4, channels, 0.5, 2));
        var (scale, shift) = (PerChannel(5, channels, -2, 2), PerChannel(6, channels, -1, 1));
        var (k, a, b) = (PerChannel(7, channels, -2, 2), PerChannel(8, channels, -1, 1), PerChannel(9, channels, -1, 1));
        float[]? y0 = null, dx0 = null;
        // The same values at other offsets in x, dy and the outputs: other starts, other heads.
        foreach (var (xAt, outAt) in new[] { (0, 0), (1, 5), (3, 0), (7, 13), (13, 2) })
        {
            float[] xs = Shifted(x, n, xAt), dys = Shifted(dy, n, xAt), y = new float[n + 16], dx = new float[n + 16];
            FloatKernels.Normalize(xs.AsSpan(xAt, n), layout, all, mean, invStd, scale, shift, y.AsSpan(outAt, n), (VectorWidth)width);
            FloatKernels.Backward(dys.AsSpan(xAt, n), [], xs.AsSpan(xAt, n), layout, all, mean, invStd, k, a, b, dx.AsSpan(outAt, n),
                (VectorWidth)width);
            y0 ??= y[outAt..(outAt + n)];
            dx0 ??= dx[outAt..(outAt + n)];
            Assert.Equal(Bits(y0), Bits(y[outAt..(outAt + n)]));
            Assert.Equal(Bits(dx0), Bits(dx[outAt..(outAt + n)]));
        }
    }

    public static TheoryData<int, int, int> WidthsAndRows()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int width in Widths)
            foreach (var (rows, d) in new[] { (5, 1024), (33, 37), (4, 3) })
                data.Add(width, rows, d);
        return data;
    }

    [Theory]
    [MemberData(nameof(WidthsAndRows))]
    public void Row_norm_gives_the_same_floats_wherever_the_tensors_and_parameters_lie(int width, int rows, int d)
    {
        int n = rows * d;
        var x = Floats(1, n + 32, offset: 3);
        var dy = Floats(2, n + 32);
        var gamma = Floats(3, d + 32);
        var beta = Floats(4, d + 32);
        float[]? y0 = null, dx0 = null;
        double[]? dGamma0 = null;
        foreach (var (xAt, outAt, parameterAt) in new[] { (0, 0, 0), (1, 5, 9), (3, 0, 14), (7, 13, 1), (13, 2, 6) })
        {
            float[] xs = Shifted(x, n, xAt), dys = Shifted(dy, n, xAt), gs = Shifted(gamma, d, parameterAt), bs = Shifted(beta, d, parameterAt);
            float[] y = new float[n + 16], dx = new float[n + 16], blockSums = new float[FloatRowNorm.BlockSumsLength(d)];
            double[] mean = new double[rows], spread = new double[rows], invStd = new double[rows], dGamma = new double[d], dBeta = new double[d];
            fixed (float* px = xs, pdy = dys, pg = gs, pb = bs, py = y, pdx = dx, pbs = blockSums)
            fixed (double* pm = mean, ps = spread, pi = invStd, pdg = dGamma, pdb = dBeta)
            {
                FloatRowNorm.Forward(px + xAt, rows, d, true, 1e-5, pg + parameterAt, pb + parameterAt, pm, ps, pi, py + outAt, (VectorWidth)width);
                FloatRowNorm.Backward(px + xAt, pdy + xAt, rows, d, true, pm, pi, pg + parameterAt, pdg, pdb, pbs, pdx + outAt, (VectorWidth)width);
            }
            y0 ??= y[outAt..(outAt + n)];
            dx0 ??= dx[outAt..(outAt + n)];
            dGamma0 ??= dGamma;
            Assert.Equal(Bits(y0), Bits(y[outAt..(outAt + n)]));
            Assert.Equal(Bits(dx0), Bits(dx[outAt..(outAt + n)]));
            Assert.Equal(dGamma0, dGamma);
        }
    }

    /// <summary>The first <paramref name="n"/> values of <paramref name="values"/>, starting <paramref name="at"/> floats into a new array.</summary>
    private static float[] Shifted(float[] values, int n, int at)
    {
        var shifted = new float[values.Length + at];
        Array.Copy(values, 0, shifted, at, n);
        return shifted;
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}

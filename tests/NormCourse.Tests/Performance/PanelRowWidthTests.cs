using NormCourse.Tensors;

namespace NormCourse.Tests.Performance;

/// <summary>
/// <see cref="PackedGemm"/> with each panel-row width this machine runs (512-, 256- and 128-bit vectors on an AVX-512
/// machine), called directly rather than through the width the machine would pick, against the triple loop in double.
/// Shapes hit every tile height of every width (12, 10, 8, 6, 4 rows), ragged rows, columns and depths (not multiples
/// of 16, of a tile height, of 256), adding onto a zero C and onto a filled one.
/// </summary>
public class PanelRowWidthTests
{
    private delegate void Kernel(ReadOnlySpan<float> a, bool transposeA, ReadOnlySpan<float> b, bool transposeB,
        Span<float> c, int m, int n, int k, Worker? worker);

    /// <summary>A second thread of the tests' own, so that products large enough split their row tiles with it.</summary>
    private static readonly Worker Worker = new();

    private static IEnumerable<string> WidthNames => ["512", "256", "128"];

    /// <summary>Whether the width runs in hardware here, and the kernel compiled for it.</summary>
    private static (bool Accelerated, Kernel Run) Width(string name) => name switch
    {
        "512" => (PanelRow512.IsAccelerated, PackedGemm.MultiplyAdd<PanelRow512>),
        "256" => (PanelRow256.IsAccelerated, PackedGemm.MultiplyAdd<PanelRow256>),
        _ => (PanelRow128.IsAccelerated, PackedGemm.MultiplyAdd<PanelRow128>),
    };

    /// <summary>Every width accelerated here × shapes × the three transpose cases the kernel takes (not both).</summary>
    public static TheoryData<string, int, int, int, bool, bool> Cases()
    {
        var data = new TheoryData<string, int, int, int, bool, bool>();
        foreach (string width in WidthNames)
        {
            if (!Width(width).Accelerated) continue;
            foreach (var (m, n, k) in new[]
                     {
                         (1, 1, 1), (4, 16, 16), (6, 17, 33), (8, 32, 5), (10, 15, 40), (12, 48, 256), (13, 100, 257),
                         (16, 20, 31), (20, 33, 300), (24, 784, 60), (60, 100, 784), (7, 3, 17), (2, 50, 513), (31, 18, 100),
                         (6, 2352, 25), (16, 400, 150), (20, 48, 600),     // one or two row tiles: B read in place when not transposed
                         (37, 870, 1000), (100, 784, 410), (130, 250, 1000),   // ≥ 64 MFLOP: shared with the worker
                     })
            foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false) })
                data.Add(width, m, n, k, ta, tb);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_width_matches_the_triple_loop(string width, int m, int n, int k, bool ta, bool tb)
    {
        var a = TripleLoop.Operand(1, m * k);
        var b = TripleLoop.Operand(2, k * n);
        var c0 = TripleLoop.Operand(3, m * n);
        foreach (bool accumulate in new[] { false, true })
        {
            var c = accumulate ? (float[])c0.Clone() : new float[m * n];
            Width(width).Run(a, ta, b, tb, c, m, n, k, null);
            // With the worker: each element of C computed by one thread in the same order, so the very same floats.
            var shared = accumulate ? (float[])c0.Clone() : new float[m * n];
            Width(width).Run(a, ta, b, tb, shared, m, n, k, Worker);
            Assert.Equal(c, shared);
            TripleLoop.AssertProduct(a, ta, b, tb, c0, accumulate, c, m, n, k, $"{width}-bit: ");
        }
    }

    [Fact]
    public void Callers_on_many_threads_share_one_worker_and_get_the_single_thread_result()
    {
        // One caller at a time holds the worker; the others compute alone. Every result must equal one thread's.
        const int m = 130, n = 100, k = 784;
        var a = TripleLoop.Operand(4, m * k);
        var b = TripleLoop.Operand(5, k * n);
        var expected = new float[m * n];
        PackedGemm.MultiplyAdd<PanelRow128>(a, false, b, true, expected, m, n, k, null);
        var results = new float[16][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            var c = new float[m * n];
            for (int repeat = 0; repeat < 5; repeat++)
            {
                Array.Clear(c);
                PackedGemm.MultiplyAdd<PanelRow128>(a, false, b, true, c, m, n, k, Worker);
            }
            results[t] = c;
        });
        Assert.All(results, c => Assert.Equal(expected, c));
    }
}

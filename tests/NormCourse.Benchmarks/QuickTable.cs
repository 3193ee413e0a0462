using System.Diagnostics;
using System.Globalization;
using NormCourse.Benchmarks.Workloads;

namespace NormCourse.Benchmarks;

/// <summary>
/// The table mode compare.sh uses: every workload timed as the anchor times its own (warm-up, enough iterations
/// for ~0.3 s, several repeats, the median of the repeats' means), printed as tab-separated rows keyed like the
/// anchor's output so the two can be joined. Each normalization row also times the STREAM triad between its repeats
/// (<c>paired_triad_GB_per_s</c>): the bandwidth target is a share of the triad, and on this shared machine the memory's
/// speed moves within a minute (one comparison's LayerNorm took 3.1 ms in one round and 5.2 and 5.8 ms in the two
/// around it, the triads measured after each round 46, 34 and 43 GB/s), so the ceiling is measured at the same moment.
/// For the same reason the two layers issue 7 compares with each other, RMSNorm and LayerNorm, are also timed as a
/// pair (kind <c>pair</c>): one repeat of each in turn, their ratio taken repeat by repeat.
/// </summary>
public static class QuickTable
{
    private static TriadWorkload? _triad;

    /// <summary>The shapes RMSNorm and LayerNorm are timed on as a pair: every shape RMSNorm has a row for.</summary>
    private static readonly string[] PairShapes =
        [.. NormWorkload.Keys.Where(k => k.StartsWith("RMSNorm ", StringComparison.Ordinal)).Select(k => k.Split(' ')[1])];

    /// <summary>Runs the workloads whose key contains <paramref name="filter"/> and prints one row each.</summary>
    public static void Run(int repeats, string filter)
    {
        var keys = NormWorkload.Keys.Concat(RowTrafficWorkload.Keys).Select(k => ("norm", k))
            .Concat(Networks.StepKeys.Select(k => ("step", k)))
            .Concat(GemmWorkload.Keys.Select(k => ("gemm", k)))
            .Concat(TriadWorkload.Keys.Select(k => ("stream", k)))
            .Concat(FmaPeakWorkload.Keys.Select(k => ("peak", k)))
            .Concat(PairShapes.Select(shape => ("pair", k: $"RMSNorm/LayerNorm {shape}")))
            .Where(k => k.k.Contains(filter, StringComparison.OrdinalIgnoreCase) || k.Item1 == filter);
        Console.WriteLine("kind\tname\tshape\tus_median\tsamples_per_s\tGB_per_s\tGFLOP_per_s\tallocated_bytes_per_call\tall_repeats_us" +
            "\tpaired_triad_GB_per_s\tspeedup_median\tspeedup_repeats");
        foreach (var (kind, key) in keys)
        {
            if (kind == "pair")
            {
                RunPair(repeats, key.Split(' ')[1]);
                continue;
            }
            IWorkload w = kind switch
            {
                "norm" => RowTrafficWorkload.Keys.Contains(key) ? new RowTrafficWorkload() : new NormWorkload(key),
                "step" => Networks.Step(key),
                "stream" => new TriadWorkload(),
                "peak" => new FmaPeakWorkload(),
                _ => new GemmWorkload(key),
            };
            var triad = kind == "norm" ? _triad ??= new TriadWorkload() : null;
            var (times, triadTimes) = Measure(w, repeats, out long allocated, triad);
            double s = Median(times);
            string Rate(double per, double scale) => per > 0 ? (per / s / scale).ToString("F2", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine(string.Join('\t', kind, w.Name, w.Shape, (s * 1e6).ToString("F1", CultureInfo.InvariantCulture),
                w.Samples > 0 ? (w.Samples / s).ToString("F0", CultureInfo.InvariantCulture) : "-",
                Rate(w.Bytes, 1e9), Rate(w.Flops, 1e9), allocated.ToString(CultureInfo.InvariantCulture),
                string.Join(',', times.Select(t => (t * 1e6).ToString("F0", CultureInfo.InvariantCulture))),
                triad is null ? "-" : (triad.Bytes / Median(triadTimes) / 1e9).ToString("F2", CultureInfo.InvariantCulture),
                "-", "-"));
        }
    }

    /// <summary>
    /// Times RMSNorm and LayerNorm on <paramref name="shape"/> one repeat of each in turn and prints RMSNorm's row with
    /// LayerNorm's time over its own, repeat by repeat (<c>speedup_repeats</c>) and their median (<c>speedup_median</c>):
    /// both taken within about a second of each other, so a change in the machine's speed between rows cannot decide it.
    /// </summary>
    private static void RunPair(int repeats, string shape)
    {
        IWorkload faster = new NormWorkload($"RMSNorm {shape}"), slower = new NormWorkload($"LayerNorm {shape}");
        var (times, slowerTimes) = Measure(faster, repeats, out long allocated, slower);
        var speedups = slowerTimes.Zip(times, (s, f) => s / f).ToList();
        string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        Console.WriteLine(string.Join('\t', "pair", $"{faster.Name}/{slower.Name}", faster.Shape, F(Median(times) * 1e6, "F1"),
            "-", F(faster.Bytes / Median(times) / 1e9, "F2"), "-", F(allocated, "F0"),
            string.Join(',', times.Select(t => F(t * 1e6, "F0"))), "-", F(Median(speedups), "F3"),
            string.Join(',', speedups.Select(r => F(r, "F3")))));
    }

    /// <summary>
    /// The seconds per call of each repeat of <paramref name="w"/>, and of <paramref name="alongside"/> (when given) timed
    /// right after each of them.
    /// </summary>
    private static (List<double> Times, List<double> Alongside) Measure(IWorkload w, int repeats, out long allocatedPerCall,
        IWorkload? alongside = null)
    {
        int iterations = Calibrate(w), alongsideIterations = alongside is null ? 0 : Calibrate(alongside);
        long before = GC.GetAllocatedBytesForCurrentThread();
        w.Run();
        allocatedPerCall = GC.GetAllocatedBytesForCurrentThread() - before;
        List<double> times = [], alongsideTimes = [];
        for (int r = 0; r < repeats; r++)
        {
            times.Add(SecondsPerCall(w, iterations));
            if (alongside is not null) alongsideTimes.Add(SecondsPerCall(alongside, alongsideIterations));
        }
        return (times, alongsideTimes);
    }

    /// <summary>Warms <paramref name="w"/> up and returns how many calls take about 0.3 s.</summary>
    private static int Calibrate(IWorkload w)
    {
        var sw = Stopwatch.StartNew();
        int warm = 0;
        // Long enough for the JIT's tiers to settle: the instrumented tier runs several times slower, and
        // the steady state only arrives after some hundreds of calls.
        while (warm < 300 || sw.Elapsed.TotalSeconds < 1.5) { w.Run(); warm++; }
        return Math.Max(5, (int)(0.3 / (SecondsPerCall(w, 10))));
    }

    private static double SecondsPerCall(IWorkload w, int iterations)
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++) w.Run();
        return sw.Elapsed.TotalSeconds / iterations;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}

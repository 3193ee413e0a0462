using System.Diagnostics;
using System.Globalization;
using NormCourse.Benchmarks.Workloads;

namespace NormCourse.Benchmarks;

/// <summary>
/// The table mode compare.sh uses: every workload timed as the anchor times its own (warm-up, enough iterations
/// for ~0.3 s, several repeats, the median of the repeats' means), printed as tab-separated rows keyed like the
/// anchor's output so the two can be joined.
/// </summary>
public static class QuickTable
{
    /// <summary>Runs the workloads whose key contains <paramref name="filter"/> and prints one row each.</summary>
    public static void Run(int repeats, string filter)
    {
        var keys = NormWorkload.Keys.Select(k => ("norm", k))
            .Concat(Networks.StepKeys.Select(k => ("step", k)))
            .Concat(GemmWorkload.Keys.Select(k => ("gemm", k)))
            .Concat(TriadWorkload.Keys.Select(k => ("stream", k)))
            .Concat(FmaPeakWorkload.Keys.Select(k => ("peak", k)))
            .Where(k => k.k.Contains(filter, StringComparison.OrdinalIgnoreCase) || k.Item1 == filter);
        Console.WriteLine("kind\tname\tshape\tus_median\tsamples_per_s\tGB_per_s\tGFLOP_per_s\tallocated_bytes_per_call\tall_repeats_us");
        foreach (var (kind, key) in keys)
        {
            IWorkload w = kind switch
            {
                "norm" => new NormWorkload(key),
                "step" => Networks.Step(key),
                "stream" => new TriadWorkload(),
                "peak" => new FmaPeakWorkload(),
                _ => new GemmWorkload(key),
            };
            var times = Measure(w, repeats, out long allocated);
            double s = Median(times);
            string Rate(double per, double scale) => per > 0 ? (per / s / scale).ToString("F2", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine(string.Join('\t', kind, w.Name, w.Shape, (s * 1e6).ToString("F1", CultureInfo.InvariantCulture),
                w.Samples > 0 ? (w.Samples / s).ToString("F0", CultureInfo.InvariantCulture) : "-",
                Rate(w.Bytes, 1e9), Rate(w.Flops, 1e9), allocated.ToString(CultureInfo.InvariantCulture),
                string.Join(',', times.Select(t => (t * 1e6).ToString("F0", CultureInfo.InvariantCulture)))));
        }
    }

    private static List<double> Measure(IWorkload w, int repeats, out long allocatedPerCall)
    {
        var sw = Stopwatch.StartNew();
        int warm = 0;
        // Long enough for the JIT's tiers to settle: the instrumented tier runs several times slower, and
        // the steady state only arrives after some hundreds of calls.
        while (warm < 300 || sw.Elapsed.TotalSeconds < 1.5) { w.Run(); warm++; }
        sw.Restart();
        for (int i = 0; i < 10; i++) w.Run();
        double estimate = sw.Elapsed.TotalSeconds / 10;
        int iterations = Math.Max(5, (int)(0.3 / estimate));
        long before = GC.GetAllocatedBytesForCurrentThread();
        w.Run();
        allocatedPerCall = GC.GetAllocatedBytesForCurrentThread() - before;
        var times = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            sw.Restart();
            for (int i = 0; i < iterations; i++) w.Run();
            times.Add(sw.Elapsed.TotalSeconds / iterations);
        }
        return times;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}

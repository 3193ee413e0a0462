using BenchmarkDotNet.Attributes;
using NormCourse.Benchmarks.Workloads;

namespace NormCourse.Benchmarks.Suites;

/// <summary>float32 GEMM at the §4.1 MLP's shapes; GFLOP/s = 2mnk / mean time (the table mode prints it).</summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private GemmWorkload _workload = null!;

    /// <summary>Role and batch, e.g. <c>fwd784 60</c>.</summary>
    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = "";

    /// <summary>Every case of <see cref="GemmWorkload.Keys"/>.</summary>
    public static IEnumerable<string> Cases => GemmWorkload.Keys;

    /// <summary>Builds the matrices.</summary>
    [GlobalSetup]
    public void Setup() => _workload = new GemmWorkload(Case);

    /// <summary>One multiply.</summary>
    [Benchmark]
    public void Multiply() => _workload.Run();
}

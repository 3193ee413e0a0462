using BenchmarkDotNet.Attributes;
using NormCourse.Benchmarks.Workloads;

namespace NormCourse.Benchmarks.Suites;

/// <summary>Each normalization layer's float32 forward+backward in training mode, at the anchor's shapes.</summary>
[MemoryDiagnoser]
public class NormalizationBenchmarks
{
    private NormWorkload _workload = null!;

    /// <summary>Layer and shape, e.g. <c>LayerNorm (4096,1024)</c>.</summary>
    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = "";

    /// <summary>Every case of <see cref="NormWorkload.Keys"/>.</summary>
    public static IEnumerable<string> Cases => NormWorkload.Keys;

    /// <summary>Builds the layer and data.</summary>
    [GlobalSetup]
    public void Setup() => _workload = new NormWorkload(Case);

    /// <summary>Forward then backward.</summary>
    [Benchmark]
    public void ForwardBackward() => _workload.Run();
}

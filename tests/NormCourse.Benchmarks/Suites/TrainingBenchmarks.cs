using BenchmarkDotNet.Attributes;
using NormCourse.Benchmarks.Workloads;

namespace NormCourse.Benchmarks.Suites;

/// <summary>
/// One SGD training step (forward, softmax cross-entropy, backward, update) of the §4.1 MLP with and without
/// BatchNorm at batch 60 and 256, and of LeNet-5 at batch 64. Samples/s = batch / mean time; allocated bytes
/// per step come from the memory diagnoser (0 is the goal).
/// </summary>
[MemoryDiagnoser]
public class TrainingBenchmarks
{
    private TrainingStep _step = null!;

    /// <summary>Model and batch, e.g. <c>MLP+BN 60</c>.</summary>
    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = "";

    /// <summary>Every case of <see cref="Networks.StepKeys"/>.</summary>
    public static IEnumerable<string> Cases => Networks.StepKeys;

    /// <summary>Builds the model and the data pool.</summary>
    [GlobalSetup]
    public void Setup() => _step = Networks.Step(Case);

    /// <summary>One training step.</summary>
    [Benchmark]
    public void Step() => _step.Run();
}

namespace NormCourse.Benchmarks.Workloads;

/// <summary>
/// One repeatable unit of work, built once (data, model, buffers) and run many times. The BenchmarkDotNet suites
/// and the quick table mode both time <see cref="Run"/>, so the two can never measure different things.
/// </summary>
public interface IWorkload
{
    /// <summary>The row label, matching the anchor's (e.g. <c>BatchNorm1d</c>, <c>MLP+BN</c>).</summary>
    string Name { get; }

    /// <summary>The shape or batch column, matching the anchor's (e.g. <c>(256,1024)</c>, <c>60</c>).</summary>
    string Shape { get; }

    /// <summary>Samples processed per <see cref="Run"/> (training workloads) or 0.</summary>
    int Samples { get; }

    /// <summary>Bytes the kernel must move per <see cref="Run"/> (normalization), or 0.</summary>
    double Bytes { get; }

    /// <summary>Floating-point operations per <see cref="Run"/> (GEMM), or 0.</summary>
    double Flops { get; }

    /// <summary>Does the work once.</summary>
    void Run();
}

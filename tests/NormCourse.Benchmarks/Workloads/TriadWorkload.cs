using System.Numerics;

namespace NormCourse.Benchmarks.Workloads;

/// <summary>
/// The STREAM triad a = b + q·c over float arrays of 16 MiB each, on one thread: the reference bandwidth the issue's
/// kernel targets are measured against ("cache-resident triad", performance-anchors.md). It is measured in the same
/// job as the kernels, because the figure belongs to the machine: 26 GB/s on the Intel Xeon the anchors were taken on,
/// 25–46 GB/s between rounds on an AMD Zen 5 of the same pool. Bytes: a written, b and c read.
/// </summary>
public sealed class TriadWorkload : IWorkload
{
    private const int Floats = 4 * 1024 * 1024;   // 16 MiB
    private readonly float[] _a = new float[Floats], _b = new float[Floats], _c = new float[Floats];

    /// <summary>The one case, keyed like the others.</summary>
    public static readonly string[] Keys = ["Triad (16MiB)"];

    /// <summary>Fills b and c (the values do not matter, only that the pages exist).</summary>
    public TriadWorkload()
    {
        Array.Fill(_b, 1f);
        Array.Fill(_c, 2f);
    }

    /// <inheritdoc />
    public string Name => "Triad";

    /// <inheritdoc />
    public string Shape => "(16MiB)";

    /// <inheritdoc />
    public int Samples => 0;

    /// <inheritdoc />
    public double Bytes => 3.0 * Floats * sizeof(float);

    /// <inheritdoc />
    public double Flops => 0;

    /// <inheritdoc />
    /// <remarks>
    /// A plain vector loop, as STREAM's C compiles to, and not TensorPrimitives.MultiplyAdd: for arrays this large that
    /// writes with non-temporal stores, which skip the cache (61 GB/s "counted" here against 29–44 for this loop). The
    /// normalization kernels store through the cache, so a triad that does not would be the wrong ceiling.
    /// </remarks>
    public void Run()
    {
        var q = new Vector<float>(3f);
        int i = 0, lanes = Vector<float>.Count;
        for (; i <= Floats - lanes; i += lanes) (new Vector<float>(_b, i) + q * new Vector<float>(_c, i)).CopyTo(_a, i);
    }
}

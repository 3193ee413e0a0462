using System.Numerics;
using System.Runtime.Intrinsics;

namespace NormCourse.Benchmarks.Workloads;

/// <summary>
/// The STREAM triad a = b + q·c over float arrays of 16 MiB each, on one thread: the reference bandwidth the issue's
/// kernel targets are measured against ("cache-resident triad", performance-anchors.md). It is measured in the same
/// job as the kernels, because the figure belongs to the machine: 26 GB/s on the Intel Xeon the anchors were taken on,
/// 25–63 GB/s between rounds and days on an AMD Zen 5 of the same pool. Bytes: a written, b and c read.
/// </summary>
/// <remarks>
/// The loop is the one STREAM's C becomes under <c>gcc -O3 -march=native</c>: the widest vectors the CPU has, on arrays
/// that begin on a cache line, with plain stores. Until 2026-12-03 it ran <see cref="Vector{T}"/> (256 bits) over
/// managed arrays 88 bytes into a page, whose vectors straddle cache lines: on the Zen 5 machine that measured 51–56 GB/s
/// against the C triad's 60–64 in the same minutes, so every share of it overstated the kernels by 10–20 %.
/// </remarks>
public sealed unsafe class TriadWorkload : IWorkload
{
    private const int Floats = 4 * 1024 * 1024;   // 16 MiB
    private const int LineFloats = 16;

    // Pinned (the pinned object heap never moves them), each used from its first cache line.
    private readonly float[] _a = GC.AllocateArray<float>(Floats + LineFloats, pinned: true),
        _b = GC.AllocateArray<float>(Floats + LineFloats, pinned: true),
        _c = GC.AllocateArray<float>(Floats + LineFloats, pinned: true);

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
    /// Plain stores, not TensorPrimitives.MultiplyAdd: for arrays this large that writes with non-temporal stores, which
    /// skip the cache (61 GB/s "counted" here against 29–44 for a plain loop on a slow day). The normalization kernels
    /// store through the cache, so a triad that does not would be the wrong ceiling.
    /// </remarks>
    public void Run()
    {
        fixed (float* a = _a, b = _b, c = _c)
        {
            float* pa = OnLine(a), pb = OnLine(b), pc = OnLine(c);
            if (Vector512.IsHardwareAccelerated)
            {
                var q = Vector512.Create(3f);
                for (int i = 0; i < Floats; i += Vector512<float>.Count) (Vector512.Load(pb + i) + q * Vector512.Load(pc + i)).Store(pa + i);
            }
            else
            {
                // Vector<T> is the widest below 512 bits: 256 with AVX2, 128 with SSE or NEON.
                var q = new Vector<float>(3f);
                for (int i = 0; i < Floats; i += Vector<float>.Count) (Vector.Load(pb + i) + q * Vector.Load(pc + i)).Store(pa + i);
            }
        }
    }

    private static float* OnLine(float* p) => (float*)(((nint)p + LineFloats * sizeof(float) - 1) & ~(nint)(LineFloats * sizeof(float) - 1));
}

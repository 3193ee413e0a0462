using System.Runtime.CompilerServices;
using NormCourse.Tensors.Simd;

namespace NormCourse.Benchmarks.Workloads;

/// <summary>
/// The STREAM triad a = b + q·c over float arrays of 16 MiB each, on one thread: the reference bandwidth the issue's
/// kernel targets are measured against ("cache-resident triad", performance-anchors.md). It is measured in the same
/// job as the kernels, because the figure belongs to the machine: 26 GB/s on the Intel Xeon the anchors were taken on,
/// 25–63 GB/s between rounds and days on an AMD Zen 5 of the same pool. Bytes: a written, b and c read.
/// </summary>
/// <remarks>
/// The loop is the one STREAM's C becomes under <c>gcc -O3 -march=native</c>: the widest vectors the CPU has, on arrays
/// that begin on a cache line, with plain stores. Until 2026-12-03 it ran .NET's <c>Vector&lt;T&gt;</c> (256 bits) over
/// managed arrays 88 bytes into a page, whose vectors straddle cache lines: on the Zen 5 machine that measured 51–56 GB/s
/// against the C triad's 60–64 in the same minutes, so every share of it overstated the kernels by 10–20 %.
/// </remarks>
public sealed unsafe class TriadWorkload : IWorkload
{
    private const int Floats = 4 * 1024 * 1024;   // 16 MiB

    // Pinned (the pinned object heap never moves them), each used from its first cache line.
    private readonly float[] _a = GC.AllocateArray<float>(Floats + Alignment.LineFloats, pinned: true),
        _b = GC.AllocateArray<float>(Floats + Alignment.LineFloats, pinned: true),
        _c = GC.AllocateArray<float>(Floats + Alignment.LineFloats, pinned: true);

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
        switch (VectorWidths.Widest)
        {
            case VectorWidth.Bits512: TriadOf<Float512, Double512>(_a, _b, _c); break;
            case VectorWidth.Bits256: TriadOf<Float256, Double256>(_a, _b, _c); break;
            default: TriadOf<Float128, Double128>(_a, _b, _c); break;
        }
    }

    // One loop for every width, over the library's own vector types (the widths the kernels run), as FmaPeakWorkload.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void TriadOf<TF, TD>(float[] a, float[] b, float[] c)
        where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        fixed (float* pa = a, pb = b, pc = c)
        {
            float* la = OnLine(pa), lb = OnLine(pb), lc = OnLine(pc);
            var q = TF.Create(3f);
            for (int i = 0; i < Floats; i += TF.Count) (TF.Load(lb + i) + q * TF.Load(lc + i)).Store(la + i);
        }
    }

    private static float* OnLine(float* p) => p + Alignment.Head(p, Alignment.LineFloats, Alignment.LineFloats);
}

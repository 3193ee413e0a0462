using System.Runtime.CompilerServices;
using NormCourse.Tensors.Simd;

namespace NormCourse.Benchmarks.Workloads;

/// <summary>
/// One core's float32 multiply-add throughput: twelve independent chains of vector FMAs in registers, at the widest
/// width the runtime accelerates, with no memory traffic. The GEMM's GFLOP/s are reported against this figure, measured
/// in the same job, because it belongs to the machine: about 140 GFLOP/s on the Intel Xeon of performance-anchors.md,
/// 208 on an AMD Zen 5 of the same pool.
/// </summary>
public sealed class FmaPeakWorkload : IWorkload
{
    private const int Iterations = 1 << 16;
    private const int Chains = 12;   // more than latency × throughput (4 cycles × 2 FMA pipes) keeps both pipes busy
    private float _sink;

    /// <summary>The one case, keyed like the others.</summary>
    public static readonly string[] Keys = ["FMA peak"];

    /// <inheritdoc />
    public string Name => "FMA";

    /// <inheritdoc />
    public string Shape => "peak";

    /// <inheritdoc />
    public int Samples => 0;

    /// <inheritdoc />
    public double Bytes => 0;

    /// <inheritdoc />
    public double Flops => 2.0 * Chains * Iterations * ((int)VectorWidths.Widest / (8 * sizeof(float)));   // lanes of the width Run uses

    /// <inheritdoc />
    public void Run() => _sink += VectorWidths.Widest switch
    {
        VectorWidth.Bits512 => ChainsOf<Float512, Double512>(),
        VectorWidth.Bits256 => ChainsOf<Float256, Double256>(),
        _ => ChainsOf<Float128, Double128>(),
    };

    // One loop for every width, over the library's own vector types (the widths the kernels run).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe float ChainsOf<TF, TD>() where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        // c ← c·a + b with a slightly below 1 and b small: the values stay finite and normal however long it runs.
        var a = TF.Create(0.999999f);
        var b = TF.Create(1e-7f);
        TF c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
        for (int i = 0; i < Iterations; i++)
        {
            c0 = TF.MultiplyAdd(c0, a, b); c1 = TF.MultiplyAdd(c1, a, b); c2 = TF.MultiplyAdd(c2, a, b);
            c3 = TF.MultiplyAdd(c3, a, b); c4 = TF.MultiplyAdd(c4, a, b); c5 = TF.MultiplyAdd(c5, a, b);
            c6 = TF.MultiplyAdd(c6, a, b); c7 = TF.MultiplyAdd(c7, a, b); c8 = TF.MultiplyAdd(c8, a, b);
            c9 = TF.MultiplyAdd(c9, a, b); c10 = TF.MultiplyAdd(c10, a, b); c11 = TF.MultiplyAdd(c11, a, b);
        }
        float* lanes = stackalloc float[TF.Count];
        ((((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7))) + ((c8 + c9) + (c10 + c11))).Store(lanes);
        return lanes[0];
    }
}

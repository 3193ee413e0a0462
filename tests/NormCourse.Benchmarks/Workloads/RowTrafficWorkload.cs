using System.Runtime.CompilerServices;
using NormCourse.Normalization;
using NormCourse.Tensors.Simd;

namespace NormCourse.Benchmarks.Workloads;

/// <summary>
/// The memory traffic of LayerNorm's and RMSNorm's forward+backward on (4096, 1024) with next to no arithmetic: the
/// same arrays read and written in the same order and the same way, on one thread. Forward, per row: a sum over x, then
/// y = k·x with ordinary stores (as the layers write y). Backward, per row: a sum over x·dy, then dx = k·x + dy with
/// non-temporal stores (as the layers write a dx this large, <see cref="FloatRowNorm.PastCacheBytes"/>). Each sum
/// prefetches the next row, as the layers' do. The sums are in float, and there is no γ, no β, no column sum and no
/// widening to double.
/// </summary>
/// <remarks>
/// A layer that moves these bytes in this order cannot take less time than this, whatever it computes. Its time over a
/// layer's time is the share of that limit the layer reaches, and LayerNorm's time over this one is the most an RMSNorm
/// could gain over this LayerNorm (issue 7 asks for 1.2×): the two layers read and write the same arrays. Bytes are
/// counted as for the layers (<see cref="NormWorkload"/>).
/// </remarks>
public sealed unsafe class RowTrafficWorkload : IWorkload
{
    private const int Rows = 4096, D = 1024, Floats = Rows * D;

    // Pinned (the pinned object heap never moves them), each used from its first cache line, so every row starts on one.
    private readonly float[] _x = Pinned(), _y = Pinned(), _dy = Pinned(), _dx = Pinned();

    /// <summary>The one case, keyed like the layers'.</summary>
    public static readonly string[] Keys = ["RowTraffic (4096,1024)"];

    /// <summary>Fills x and dy (uniform in [−1, 1): the values do not matter, only that the pages exist).</summary>
    public RowTrafficWorkload()
    {
        var random = new Random(7);
        for (int i = 0; i < _x.Length; i++) (_x[i], _dy[i]) = (2 * random.NextSingle() - 1, 2 * random.NextSingle() - 1);
    }

    /// <inheritdoc />
    public string Name => "RowTraffic";

    /// <inheritdoc />
    public string Shape => "(4096,1024)";

    /// <inheritdoc />
    public int Samples => 0;

    /// <inheritdoc />
    public double Bytes => 5.0 * Floats * sizeof(float);

    /// <inheritdoc />
    public double Flops => 0;

    /// <inheritdoc />
    public void Run()
    {
        switch (VectorWidths.Widest)
        {
            case VectorWidth.Bits512: Passes<Float512, Double512>(); break;
            case VectorWidth.Bits256: Passes<Float256, Double256>(); break;
            default: Passes<Float128, Double128>(); break;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private void Passes<TF, TD>() where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        fixed (float* px = _x, py = _y, pdy = _dy, pdx = _dx)
        {
            float* x = OnLine(px), y = OnLine(py), dy = OnLine(pdy), dx = OnLine(pdx);
            for (long offset = 0; offset < Floats; offset += D)
            {
                var k = TF.Create(Scale(Sum<TF, TD>(x + offset, x + offset)));
                for (int j = 0; j < D; j += TF.Count) (k * TF.Load(x + offset + j)).Store(y + offset + j);
            }
            for (long offset = 0; offset < Floats; offset += D)
            {
                var k = TF.Create(Scale(Sum<TF, TD>(x + offset, dy + offset)));
                for (int j = 0; j < D; j += TF.Count)
                    TF.MultiplyAdd(k, TF.Load(x + offset + j), TF.Load(dy + offset + j)).StoreNonTemporal(dx + offset + j);
            }
            AlignedOutput.FinishPastCache();
        }
    }

    /// <summary>
    /// Σ a ⊙ b along a row, in float, prefetching the next row of each as the layers' first passes do (a line per
    /// vector: once per line with 512-bit vectors, more often with narrower ones).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Sum<TF, TD>(float* a, float* b) where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        var sum = TF.Zero;
        for (int j = 0; j < D; j += TF.Count)
        {
            Prefetch.Line(a + D + j);
            if (b != a) Prefetch.Line(b + D + j);
            sum = TF.MultiplyAdd(TF.Load(a + j), TF.Load(b + j), sum);
        }
        var (lower, upper) = sum.Widen();
        return (float)(lower + upper).Sum();
    }

    // Some scalar that depends on the whole sum, so that a row's second pass waits for its first, as the layers' do.
    private static float Scale(float sum) => 1f / (1f + Math.Abs(sum));

    private static float[] Pinned() => GC.AllocateArray<float>(Floats + Alignment.LineFloats, pinned: true);

    private static float* OnLine(float* p) => p + Alignment.Head(p, Alignment.LineFloats, Alignment.LineFloats);
}

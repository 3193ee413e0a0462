using System.Runtime.InteropServices;
using NormCourse.Normalization;
using NormCourse.Tensors.Simd;

namespace NormCourse.Tests.Performance;

/// <summary>
/// <see cref="AlignedInput{TF, TD}"/> cuts each vector of a run out of the aligned vectors around it. Whatever the run's
/// offset in a cache line, every vector must hold exactly the floats an unaligned load at the same index holds, in the
/// same lanes, and none of the floats beside the run that the aligned loads also read.
/// </summary>
public unsafe class AlignedInputTests
{
    [Fact]
    public void Every_vector_holds_the_runs_floats_in_index_order_at_every_offset()
    {
        Check<Float512, Double512>();
        Check<Float256, Double256>();
        Check<Float128, Double128>();
    }

    /// <summary>Each vector from <c>Load</c>, and each four from <c>Load4</c> where the run holds four.</summary>
    private static void Check<TF, TD>() where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        const int room = 192;
        float* buffer = (float*)NativeMemory.AlignedAlloc(room * sizeof(float), 64);
        var lanes = new float[4 * TF.Count];
        try
        {
            for (int offset = 0; offset < 16; offset++)
                for (int n = TF.Count; n <= 4 * TF.Count + 40; n++)
                {
                    // The run holds 1, 2, …, n; around it NaN, which must never reach a lane.
                    new Span<float>(buffer, room).Fill(float.NaN);
                    float* run = buffer + 16 + offset;
                    for (int i = 0; i < n; i++) run[i] = i + 1;
                    var input = new AlignedInput<TF, TD>(run);
                    for (int i = 0; i <= n - TF.Count; i += TF.Count)
                    {
                        fixed (float* p = lanes) input.Load(i).Store(p);
                        AssertHolds(lanes, TF.Count, i, $"{TF.Count} lanes, offset {offset}, n = {n}: vector {i}");
                    }
                    for (int i = 0; i <= n - 4 * TF.Count; i += TF.Count)
                    {
                        var (v0, v1, v2, v3) = input.Load4(i);
                        fixed (float* p = lanes)
                        {
                            v0.Store(p);
                            v1.Store(p + TF.Count);
                            v2.Store(p + 2 * TF.Count);
                            v3.Store(p + 3 * TF.Count);
                        }
                        AssertHolds(lanes, 4 * TF.Count, i, $"{TF.Count} lanes, offset {offset}, n = {n}: four vectors from {i}");
                    }
                }
        }
        finally
        {
            NativeMemory.AlignedFree(buffer);
        }
    }

    private static void AssertHolds(float[] lanes, int count, int first, string what)
    {
        for (int k = 0; k < count; k++)
            Assert.True(lanes[k] == first + k + 1, $"{what}, lane {k} held {lanes[k]}");
    }

    [Fact]
    public void The_shift_takes_the_upper_lanes_of_one_vector_and_the_lower_lanes_of_the_next()
    {
        var lower = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        var upper = Enumerable.Range(16, 16).Select(i => (float)i).ToArray();
        var result = new float[16];
        fixed (float* pl = lower, pu = upper, pr = result)
        {
            if (!Float512.CanShift)
            {
                // Without AVX-512 the reader loads unaligned, and a shift asked for anyway says why it cannot.
                var (l, u) = ((nint)pl, (nint)pu);
                Assert.Throws<PlatformNotSupportedException>(() => Float512.Shift(Float512.Load((float*)l), Float512.Load((float*)u), Float512.Zero));
                return;
            }
            for (int phase = 0; phase < 16; phase++)
            {
                Float512.Shift(Float512.Load(pl), Float512.Load(pu), Float512.ShiftLanes(phase)).Store(pr);
                Assert.Equal(Enumerable.Range(phase, 16).Select(i => (float)i), result);
            }
        }
    }
}

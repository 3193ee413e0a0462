using NormCourse.Tensors.Simd;

namespace NormCourse.Tests.Performance;

/// <summary>
/// <see cref="IFloatVector{TSelf, TDouble}.LoadWidened"/> at every width: each float converted exactly to double, the
/// lower half first, from an address with no alignment, the same as loading the vector and widening the register.
/// </summary>
public unsafe class LoadWidenedTests
{
    // Values whose conversion is easy to get wrong: signed zero, the smallest subnormal, the extremes, infinities, and
    // floats with all 24 significand bits set.
    private static readonly float[] Values =
    [
        -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity,
        16777215f, -0.99999994f, 1e-38f, 3.1415927f, -2.7182817f, 1e6f + 0.5f, 1f / 3, 0.1f, -123456.79f, 42f,
    ];

    [Fact]
    public void Every_width_converts_each_lane_exactly_and_in_order()
    {
        Check<Float512, Double512>();
        Check<Float256, Double256>();
        Check<Float128, Double128>();
    }

    private static void Check<TF, TD>() where TF : struct, IFloatVector<TF, TD> where TD : struct, IDoubleVector<TD>
    {
        int lanes = TF.Count, half = TD.Count;
        // One float past an aligned start, so that no load can rely on alignment.
        float[] source = [0f, .. Values];
        fixed (float* p = source)
        {
            float* start = p + 1;
            var (lower, upper) = TF.LoadWidened(start);
            var (loadedLower, loadedUpper) = TF.Load(start).Widen();
            double* got = stackalloc double[lanes], viaRegister = stackalloc double[lanes];
            lower.Store(got);
            upper.Store(got + half);
            loadedLower.Store(viaRegister);
            loadedUpper.Store(viaRegister + half);
            for (int i = 0; i < lanes; i++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(Values[i]), BitConverter.DoubleToInt64Bits(got[i]));
                Assert.Equal(BitConverter.DoubleToInt64Bits(viaRegister[i]), BitConverter.DoubleToInt64Bits(got[i]));
            }
        }
    }
}

namespace NormCourse.Tests.Performance;

/// <summary>The float kernel tests' common ground: seeded inputs and the comparison with the reference loops.</summary>
internal static class KernelTestData
{
    /// <summary><paramref name="length"/> floats uniform in [offset − 2, offset + 2), from <paramref name="seed"/>.</summary>
    public static float[] Floats(int seed, int length, float offset = 0)
    {
        var random = new Random(seed);
        var v = new float[length];
        for (int i = 0; i < length; i++) v[i] = offset + (float)(random.NextDouble() * 4 - 2);
        return v;
    }

    /// <summary>One value per channel, uniform in [low, high), from <paramref name="seed"/>.</summary>
    public static double[] PerChannel(int seed, int channels, double low, double high)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, channels).Select(_ => low + (high - low) * random.NextDouble()).ToArray();
    }

    /// <summary>Asserts the fast float results within 10⁻⁶ relative (plus 10⁻⁶ absolute) of the reference floats.</summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6f * (1 + Math.Abs(expected[i])),
                $"{what}[{i}]: fast {actual[i]}, reference {expected[i]}");
    }

    /// <summary>Asserts the fast float results within <paramref name="tolerance"/> relative (and absolute) of reference doubles.</summary>
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"{what}[{i}]: fast {actual[i]}, reference {expected[i]}");
    }
}

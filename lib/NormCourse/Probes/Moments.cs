namespace NormCourse.Probes;

/// <summary>Small summaries of a span of values, in float64.</summary>
internal static class Moments
{
    /// <summary>The mean (NaN for no values).</summary>
    public static double Mean(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (float v in x) s += v;
        return s / x.Length;
    }

    /// <summary>The standard deviation with divisor n.</summary>
    public static double Std(ReadOnlySpan<float> x)
    {
        double mean = Mean(x), ss = 0;
        foreach (float v in x) ss += (v - mean) * (v - mean);
        return Math.Sqrt(ss / x.Length);
    }

    /// <summary>‖x‖₂.</summary>
    public static double Norm(ReadOnlySpan<float> x)
    {
        double ss = 0;
        foreach (float v in x) ss += (double)v * v;
        return Math.Sqrt(ss);
    }
}

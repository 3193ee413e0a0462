using System.Diagnostics;

namespace NormCourse.Analysis;

/// <summary>
/// Times two pieces of work alternately — A, B, A, B, … — and reports each one's median, so that both see the same
/// machine load: on a shared machine absolute times drift by tens of percent between seconds, but a slow second slows
/// both members of a pair. The medians' ratio is the measurement; a single time means little. Lesson 07 uses it to
/// compare RMSNorm with LayerNorm, and its claim test asserts the comparison's direction.
/// </summary>
public static class PairedTiming
{
    /// <summary>The medians, in microseconds, of <paramref name="pairs"/> alternating runs of each action.</summary>
    /// <param name="a">The first piece of work.</param>
    /// <param name="b">The second piece of work.</param>
    /// <param name="pairs">How many A-then-B pairs to time (odd, so the median is one run).</param>
    /// <param name="warmup">
    /// How long to run both untimed first, in seconds: long enough for the runtime to replace its quickly compiled
    /// first versions of the code by optimised ones (tiered compilation does that in the background, a few hundred
    /// milliseconds into a method's use). Timed too early, whichever of the two happened to run more code elsewhere
    /// before would look faster.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one pair, or a negative warm-up.</exception>
    public static (double MedianA, double MedianB) Medians(Action a, Action b, int pairs = 41, double warmup = 0.5)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentOutOfRangeException.ThrowIfLessThan(pairs, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < warmup)
        {
            a();
            b();
        }
        var timesA = new double[pairs];
        var timesB = new double[pairs];
        for (int i = 0; i < pairs; i++)
        {
            timesA[i] = Time(a);
            timesB[i] = Time(b);
        }
        return (Median(timesA), Median(timesB));
    }

    private static double Time(Action work)
    {
        long start = Stopwatch.GetTimestamp();
        work();
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        int n = values.Length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}

namespace NormCourse.Probes;

/// <summary>Percentiles by linear interpolation between order statistics, as NumPy's default (<c>method="linear"</c>).</summary>
public static class Percentiles
{
    /// <summary>
    /// The <paramref name="percentile"/>-th percentile (0–100) of <paramref name="sorted"/> (ascending):
    /// with h = (n − 1)·p/100, x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎), 0-based.
    /// </summary>
    /// <exception cref="ArgumentException">No values, or a percentile outside [0, 100].</exception>
    public static double OfSorted(ReadOnlySpan<double> sorted, double percentile)
    {
        if (sorted.IsEmpty) throw new ArgumentException("Percentiles of no values are undefined.", nameof(sorted));
        if (!(percentile >= 0 && percentile <= 100))
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "A percentile must be in [0, 100].");
        double h = (sorted.Length - 1) * percentile / 100.0;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>Sorts <paramref name="values"/> in place and returns the requested percentiles.</summary>
    public static double[] Of(Span<double> values, IReadOnlyList<double> percentiles)
    {
        values.Sort();
        var result = new double[percentiles.Count];
        for (int i = 0; i < result.Length; i++) result[i] = OfSorted(values, percentiles[i]);
        return result;
    }
}

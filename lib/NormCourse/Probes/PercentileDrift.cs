namespace NormCourse.Probes;

/// <summary>
/// How much one percentile of a unit's input moves during training (lessons 01 and its claim test): the total
/// variation of the percentile's time series, raw and in units of the distribution's own width.
/// </summary>
public static class PercentileDrift
{
    /// <summary>
    /// The total variation Σ_b |p̄(b+1) − p̄(b)| of percentile number <paramref name="percentileIndex"/> (an index into
    /// the probe's percentile list) of <paramref name="unit"/>, over the records at or after step <paramref name="fromStep"/>
    /// in step order, where p̄(b) is the mean over consecutive blocks of <paramref name="window"/> records (a trailing
    /// partial block is dropped). Averaging first removes most of the minibatch-to-minibatch sampling jitter, which
    /// would otherwise dominate the sum; window 1 is the plain total variation. Zero for fewer than two blocks.
    /// </summary>
    public static double TotalVariation(IReadOnlyList<PercentileRecord> records, int unit, int percentileIndex, int fromStep = 0, int window = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var raw = Series(records, unit, percentileIndex, fromStep);
        var series = new double[raw.Length / window];
        for (int b = 0; b < series.Length; b++) series[b] = raw.AsSpan(b * window, window).ToArray().Average();
        double sum = 0;
        for (int i = 1; i < series.Length; i++) sum += Math.Abs(series[i] - series[i - 1]);
        return sum;
    }

    /// <summary>
    /// The total variation of the percentile divided by the mean width between the first and last percentiles of the
    /// records (for 15/50/85: the mean 85th − 15th spread). A scale-free drift: a distribution that is simply wider is
    /// not counted as drifting more. Infinity when the mean width is zero; <paramref name="window"/> as in <see cref="TotalVariation"/>.
    /// </summary>
    public static double RelativeTotalVariation(IReadOnlyList<PercentileRecord> records, int unit, int percentileIndex, int fromStep = 0, int window = 1)
    {
        var mine = Select(records, unit, fromStep);
        if (mine.Length == 0) return 0;
        double width = mine.Average(r => r.Values[^1] - r.Values[0]);
        double tv = TotalVariation(records, unit, percentileIndex, fromStep, window);
        return width > 0 ? tv / width : double.PositiveInfinity;
    }

    private static double[] Series(IReadOnlyList<PercentileRecord> records, int unit, int percentileIndex, int fromStep)
    {
        var mine = Select(records, unit, fromStep);
        foreach (var r in mine)
            if ((uint)percentileIndex >= (uint)r.Values.Length)
                throw new ArgumentOutOfRangeException(nameof(percentileIndex), percentileIndex, $"The records hold {r.Values.Length} percentiles.");
        return [.. mine.Select(r => r.Values[percentileIndex])];
    }

    private static PercentileRecord[] Select(IReadOnlyList<PercentileRecord> records, int unit, int fromStep)
    {
        ArgumentNullException.ThrowIfNull(records);
        return [.. records.Where(r => r.Unit == unit && r.Step >= fromStep).OrderBy(r => r.Step)];
    }
}

namespace NormCourse.Probes;

/// <summary>A histogram of one layer's outputs or output gradients over a minibatch at one update.</summary>
/// <param name="Step">The update's index.</param>
/// <param name="Layer">The layer's index.</param>
/// <param name="Kind">Activations or gradients.</param>
/// <param name="Low">The left edge of the first bin.</param>
/// <param name="High">The right edge of the last bin.</param>
/// <param name="Counts">Counts of equal-width bins over [Low, High]; the last bin includes High.</param>
/// <param name="Mean">The mean of all the values.</param>
/// <param name="Std">The standard deviation of all the values (divisor n).</param>
public sealed record LayerHistogram(int Step, int Layer, HistogramKind Kind, double Low, double High, int[] Counts, double Mean, double Std)
{
    /// <summary>The centre of each bin.</summary>
    public double[] BinCenters()
    {
        double width = (High - Low) / Counts.Length;
        return [.. Enumerable.Range(0, Counts.Length).Select(i => Low + (i + 0.5) * width)];
    }
}

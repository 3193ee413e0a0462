namespace NormCourse.Probes;

/// <summary>
/// Batch Renorm's corrections r and d in one layer at one update, summarised over the layer's units, next to the
/// clipping bounds in force: r ∈ [1/<paramref name="RMax"/>, <paramref name="RMax"/>], |d| ≤ <paramref name="DMax"/>.
/// </summary>
/// <param name="Step">The update's index.</param>
/// <param name="Layer">The Batch Renorm layer's index in the network.</param>
/// <param name="RMax">r's clipping bound at this update.</param>
/// <param name="DMax">d's clipping bound at this update.</param>
/// <param name="MinR">The smallest r over the units.</param>
/// <param name="MaxR">The largest r over the units.</param>
/// <param name="MeanAbsRMinusOne">mean over units of |r − 1|: how far the scale correction is from none.</param>
/// <param name="MeanAbsD">mean over units of |d|.</param>
/// <param name="MaxAbsD">The largest |d| over the units.</param>
/// <param name="ClippedFraction">The fraction of units whose r or d sits at its bound (within 1e-12), in [0, 1].</param>
public sealed record RenormRecord(int Step, int Layer, double RMax, double DMax, double MinR, double MaxR,
    double MeanAbsRMinusOne, double MeanAbsD, double MaxAbsD, double ClippedFraction);

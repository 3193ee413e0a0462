namespace NormCourse.Probes;

/// <summary>The percentiles of one unit's values over a minibatch at one update.</summary>
/// <param name="Step">The update's index.</param>
/// <param name="Unit">The unit (feature or channel) index.</param>
/// <param name="Values">One value per requested percentile, in the order requested.</param>
public sealed record PercentileRecord(int Step, int Unit, double[] Values);

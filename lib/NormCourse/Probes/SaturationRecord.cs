namespace NormCourse.Probes;

/// <summary>The fraction of one activation layer's outputs that are saturated (or dead, for ReLU) at one update.</summary>
/// <param name="Step">The update's index.</param>
/// <param name="Layer">The activation layer's index.</param>
/// <param name="Fraction">The saturated fraction of the minibatch's outputs, in [0, 1].</param>
public sealed record SaturationRecord(int Step, int Layer, double Fraction);

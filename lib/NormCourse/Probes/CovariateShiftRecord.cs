namespace NormCourse.Probes;

/// <summary>Santurkar et al. 2018's internal covariate shift of one layer at one update (§2.2, Fig. 5).</summary>
/// <param name="Step">The update's index.</param>
/// <param name="Layer">The layer's index in the <c>Sequential</c>.</param>
/// <param name="Difference">‖G − G′‖₂: G is the layer's gradient before the update, G′ its gradient on the same minibatch
/// once every earlier layer has taken its update.</param>
/// <param name="Cosine">cos(G, G′): 1 when the earlier layers' updates leave the layer's gradient direction unchanged.</param>
public sealed record CovariateShiftRecord(int Step, int Layer, double Difference, double Cosine);

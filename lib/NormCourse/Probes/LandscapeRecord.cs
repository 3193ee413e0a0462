namespace NormCourse.Probes;

/// <summary>
/// Santurkar et al. 2018's loss-landscape measurements at one update, along the gradient g = ∇L(θ) of the minibatch.
/// </summary>
/// <param name="Step">The update's index.</param>
/// <param name="Loss">L(θ), the loss at the current parameters.</param>
/// <param name="GradientNorm">‖g‖₂ over all parameters.</param>
/// <param name="StepSizes">The step sizes η tried.</param>
/// <param name="Losses">L(θ − ηg) for each η, on the same minibatch.</param>
/// <param name="GradientChanges">‖∇L(θ) − ∇L(θ − ηg)‖₂ for each η: gradient predictiveness (small is predictive).</param>
public sealed record LandscapeRecord(int Step, double Loss, double GradientNorm, double[] StepSizes, double[] Losses, double[] GradientChanges)
{
    /// <summary>The variation of the loss along the gradient: max over η of L(θ − ηg) minus the min (Santurkar Fig. 4a).</summary>
    public double LossRange => Losses.Max() - Losses.Min();

    /// <summary>The largest gradient change over the step sizes (Santurkar Fig. 4b's upper envelope).</summary>
    public double MaxGradientChange => GradientChanges.Max();

    /// <summary>Effective β-smoothness: max over η of ‖∇L(θ) − ∇L(θ − ηg)‖₂ / ‖ηg‖₂ (Santurkar Fig. 4c).</summary>
    public double BetaSmoothness => StepSizes.Select((eta, i) => GradientChanges[i] / (eta * GradientNorm)).Max();
}

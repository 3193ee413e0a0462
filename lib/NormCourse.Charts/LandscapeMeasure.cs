namespace NormCourse.Charts;

/// <summary>Which of Santurkar et al. 2018's landscape measurements a <see cref="LandscapeChart"/> shows.</summary>
public enum LandscapeMeasure
{
    /// <summary>The range of L(θ − ηg) over the step sizes η (Fig. 4a), around the loss at θ.</summary>
    LossVariation,

    /// <summary>The range of ‖∇L(θ) − ∇L(θ − ηg)‖₂ over η (Fig. 4b).</summary>
    GradientPredictiveness,

    /// <summary>Effective β-smoothness, max over η of ‖∇L(θ) − ∇L(θ − ηg)‖₂ / ‖ηg‖₂ (Fig. 4c).</summary>
    BetaSmoothness,
}

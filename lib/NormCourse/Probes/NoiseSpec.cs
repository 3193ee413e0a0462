namespace NormCourse.Probes;

/// <summary>
/// The distribution of the noise <see cref="NoisyShiftScale{T}"/> injects: y = s·x + b with s ~ N(<paramref name="ScaleMean"/>,
/// <paramref name="ScaleStd"/>²) and b ~ N(<paramref name="ShiftMean"/>, <paramref name="ShiftStd"/>²), drawn afresh at every
/// training forward pass — for every value of every sample, or, with <see cref="PerUnit"/>, once per unit and shared by
/// the batch. Santurkar et al. 2018 §2.1 use noise of non-zero mean and non-unit variance whose distribution changes
/// at every step.
/// </summary>
/// <param name="ScaleMean">The mean of the multiplicative noise s.</param>
/// <param name="ScaleStd">The standard deviation of s.</param>
/// <param name="ShiftMean">The mean of the additive noise b.</param>
/// <param name="ShiftStd">The standard deviation of b.</param>
public sealed record NoiseSpec(double ScaleMean = 1.0, double ScaleStd = 0.0, double ShiftMean = 0.0, double ShiftStd = 0.0)
{
    /// <summary>A setting in the spirit of Santurkar et al.'s "noisy BN": shifted and rescaled, freshly every step.</summary>
    public static NoiseSpec Santurkar { get; } = new(ScaleMean: 1.5, ScaleStd: 0.5, ShiftMean: 0.5, ShiftStd: 0.5);

    /// <summary>
    /// Non-stationary noise: every unit's scale s ~ N(2, 0.5²) and shift b ~ N(1, 1²) are drawn once per step and shared
    /// by the whole batch, so each unit's distribution (its mean and spread over the batch) jumps to a new place at
    /// every step — deliberate covariate shift, as in Santurkar et al.'s "noisy BN", with a magnitude chosen so that
    /// lesson 08's MLP without BN no longer trains at the learning rate at which it trains without noise.
    /// </summary>
    public static NoiseSpec NonStationary { get; } = new(ScaleMean: 2, ScaleStd: 0.5, ShiftMean: 1, ShiftStd: 1) { PerUnit = true };

    /// <summary>
    /// When true, s and b are drawn once per unit (the feature of an (N, F) input, the channel of an (N, C, …) input)
    /// at every training forward pass and applied to every sample and position of that unit: the unit's whole
    /// distribution moves from step to step. When false (the default), they are drawn independently for every value.
    /// </summary>
    public bool PerUnit { get; init; }
}

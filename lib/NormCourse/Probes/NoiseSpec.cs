namespace NormCourse.Probes;

/// <summary>
/// The distribution of the noise <see cref="NoisyShiftScale{T}"/> injects: y = s·x + b with, for every value of every
/// sample, s ~ N(<paramref name="ScaleMean"/>, <paramref name="ScaleStd"/>²) and b ~ N(<paramref name="ShiftMean"/>,
/// <paramref name="ShiftStd"/>²). Santurkar et al. 2018 §2.1 use noise of non-zero mean and non-unit variance.
/// </summary>
/// <param name="ScaleMean">The mean of the multiplicative noise s.</param>
/// <param name="ScaleStd">The standard deviation of s.</param>
/// <param name="ShiftMean">The mean of the additive noise b.</param>
/// <param name="ShiftStd">The standard deviation of b.</param>
public sealed record NoiseSpec(double ScaleMean = 1.0, double ScaleStd = 0.0, double ShiftMean = 0.0, double ShiftStd = 0.0)
{
    /// <summary>A setting in the spirit of Santurkar et al.'s "noisy BN": shifted and rescaled, freshly every step.</summary>
    public static NoiseSpec Santurkar { get; } = new(ScaleMean: 1.5, ScaleStd: 0.5, ShiftMean: 0.5, ShiftStd: 0.5);
}

using NormCourse.Layers;
using NormCourse.Normalization;
using NormCourse.Tensors;

namespace NormCourse.Analysis;

/// <summary>
/// Folds an evaluation-mode BatchNorm into the layer before it. In evaluation BatchNorm is an affine map per
/// channel o, y = s_o·(z − μ_o) + β_o with s_o = γ_o/√(σ²_o + ε) from the running statistics, and the layer before
/// is affine too, z = W·x + b, so the two compose into one:
/// <code>
/// W'[o, …] = s_o·W[o, …]        b'_o = s_o·(b_o − μ_o) + β_o
/// </code>
/// The folded network computes the same function with one layer fewer (inference only: training needs the
/// batch statistics). This is also why a bias before BatchNorm is redundant: μ absorbs it.
/// </summary>
public static class BatchNormFolding
{
    /// <summary>A new <see cref="Linear{T}"/> equal to <paramref name="linear"/> followed by <paramref name="batchNorm"/> in evaluation mode.</summary>
    public static Linear<T> Fold<T>(Linear<T> linear, BatchNorm<T> batchNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(linear.OutFeatures, batchNorm);
        // The Random only fills values that are overwritten below.
        var folded = new Linear<T>(linear.InFeatures, linear.OutFeatures, new Random(0), bias: true);
        FoldInto(linear.Weight.Value, linear.Bias?.Value, batchNorm, folded.Weight.Value, folded.Bias!.Value);
        return folded;
    }

    /// <summary>A new <see cref="Conv2d{T}"/> equal to <paramref name="conv"/> followed by <paramref name="batchNorm"/> in evaluation mode.</summary>
    public static Conv2d<T> Fold<T>(Conv2d<T> conv, BatchNorm<T> batchNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(conv.OutChannels, batchNorm);
        var folded = new Conv2d<T>(conv.InChannels, conv.OutChannels, conv.KernelSize, new Random(0), conv.Stride, conv.Padding, bias: true);
        FoldInto(conv.Weight.Value, conv.Bias?.Value, batchNorm, folded.Weight.Value, folded.Bias!.Value);
        return folded;
    }

    private static void FoldInto<T>(Tensor<T> weight, Tensor<T>? bias, BatchNorm<T> bn, Tensor<T> foldedWeight, Tensor<T> foldedBias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int channels = bn.NumFeatures, perChannel = weight.Length / channels;
        for (int o = 0; o < channels; o++)
        {
            double gamma = bn.Weight is null ? 1 : double.CreateTruncating(bn.Weight.Value[o]);
            double beta = bn.Bias is null ? 0 : double.CreateTruncating(bn.Bias.Value[o]);
            double scale = gamma / Math.Sqrt(double.CreateTruncating(bn.RunningVar![o]) + bn.Eps);
            double b = bias is null ? 0 : double.CreateTruncating(bias[o]);
            foldedBias[o] = T.CreateTruncating(scale * (b - double.CreateTruncating(bn.RunningMean![o])) + beta);
            for (int k = o * perChannel; k < (o + 1) * perChannel; k++)
                foldedWeight.Data[k] = T.CreateTruncating(scale * double.CreateTruncating(weight.Data[k]));
        }
    }

    private static void Check<T>(int channels, BatchNorm<T> bn) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!bn.TrackRunningStats)
            throw new ArgumentException($"{bn} keeps no running statistics, so in evaluation it still depends on the batch and cannot be folded.", nameof(bn));
        if (bn.NumFeatures != channels)
            throw new ArgumentException($"{bn} normalizes {bn.NumFeatures} channels, but the layer before it outputs {channels}.", nameof(bn));
    }
}

using NormCourse.Tensors;

namespace NormCourse.Normalization;

/// <summary>
/// Batch Normalization of inputs (N, C) or (N, C, L), statistics per channel C. PyTorch: <c>torch.nn.BatchNorm1d</c>,
/// with the same defaults: ε = 1e-5, momentum = 0.1, affine, running statistics tracked.
/// </summary>
public sealed class BatchNorm1d<T> : BatchNorm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer for <paramref name="numFeatures"/> channels.</summary>
    /// <param name="numFeatures">C, the channel count.</param>
    /// <param name="eps">ε, added to the variance inside the root.</param>
    /// <param name="momentum">The new batch's weight in the running averages; null for a cumulative average.</param>
    /// <param name="affine">Whether to learn γ and β.</param>
    /// <param name="trackRunningStats">Whether to keep running statistics and use them in evaluation mode.</param>
    public BatchNorm1d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
        : base(numFeatures, eps, momentum, affine, trackRunningStats) { }

    /// <inheritdoc />
    protected override ChannelLayout LayoutOf(Tensor<T> input) => BatchLayouts.OneD(input, NumFeatures, this);
}

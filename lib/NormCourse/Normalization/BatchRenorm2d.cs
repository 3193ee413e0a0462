using NormCourse.Tensors;

namespace NormCourse.Normalization;

/// <summary>
/// Batch Renormalization (Ioffe 2017) of inputs (N, C, H, W), statistics per channel C.
/// PyTorch has no such layer; the shape rules are BatchNorm2d's.
/// </summary>
public sealed class BatchRenorm2d<T> : BatchRenorm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer for <paramref name="numFeatures"/> channels.</summary>
    /// <param name="numFeatures">C, the channel count.</param>
    /// <param name="eps">ε, inside σ_B's square root.</param>
    /// <param name="momentum">α, the moving averages' update rate.</param>
    /// <param name="rMax">r's clipping bound (1: no correction of the scale).</param>
    /// <param name="dMax">d's clipping bound (0: no correction of the shift).</param>
    /// <param name="affine">Whether to learn γ and β.</param>
    public BatchRenorm2d(int numFeatures, double eps = 1e-5, double momentum = 0.01, double rMax = 1.0, double dMax = 0.0, bool affine = true)
        : base(numFeatures, eps, momentum, rMax, dMax, affine) { }

    /// <inheritdoc />
    protected override ChannelLayout LayoutOf(Tensor<T> input) => BatchLayouts.TwoD(input, NumFeatures, this);
}

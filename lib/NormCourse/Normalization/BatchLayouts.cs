using NormCourse.Tensors;

namespace NormCourse.Normalization;

/// <summary>
/// How the batch-statistics layers (BatchNorm, Batch Renorm) view their input as (N, C, L), with PyTorch's
/// shape errors: the 1d layers take (N, C) or (N, C, L), the 2d layers (N, C, H, W).
/// The layer is passed as an object and named only in an error, so a correct call formats no string.
/// </summary>
internal static class BatchLayouts
{
    public static ChannelLayout OneD<T>(Tensor<T> input, int channels, object layer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (input.Rank is not (2 or 3))
            throw new ArgumentException($"{layer}: expected 2D or 3D input (got {input.Rank}D input of shape {input.ShapeString}).", nameof(input));
        return Checked(input, channels, layer, input.Rank == 3 ? input.Dim(2) : 1);
    }

    public static ChannelLayout TwoD<T>(Tensor<T> input, int channels, object layer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (input.Rank != 4)
            throw new ArgumentException($"{layer}: expected 4D input (got {input.Rank}D input of shape {input.ShapeString}).", nameof(input));
        return Checked(input, channels, layer, input.Dim(2) * input.Dim(3));
    }

    private static ChannelLayout Checked<T>(Tensor<T> input, int channels, object layer, int inner) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (input.Dim(1) != channels)
            throw new ArgumentException($"{layer}: expected {channels} channels at axis 1, got input of shape {input.ShapeString}.", nameof(input));
        return new ChannelLayout(input.Dim(0), channels, inner);
    }
}

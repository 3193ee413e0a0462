using NormCourse.Tensors;

namespace NormCourse.Layers;

/// <summary>The output geometry the two pooling layers share.</summary>
internal static class Pooling
{
    /// <summary>
    /// Checks that <paramref name="input"/> is (N, C, H, W) and at least k×k, and returns its sizes with the
    /// output's H' = (H − k)/s + 1 and W' = (W − k)/s + 1 (rounded down, PyTorch's <c>ceil_mode=False</c>).
    /// <paramref name="layer"/> is the layer's type name; the message is only built when it is needed.
    /// </summary>
    public static (int N, int C, int H, int W, int OutH, int OutW) Geometry<T>(Tensor<T> input, int kernel, int stride, string layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (input.Rank != 4)
            throw new ArgumentException($"{layer}(kernel_size={kernel}, stride={stride}) expects input (N, C, H, W), got {input.ShapeString}.", nameof(input));
        int n = input.Shape[0], c = input.Shape[1], h = input.Shape[2], w = input.Shape[3];
        if (h < kernel || w < kernel)
            throw new ArgumentException($"{layer}(kernel_size={kernel}, stride={stride}): the input {input.ShapeString} is smaller than the window {kernel}×{kernel}.", nameof(input));
        return (n, c, h, w, (h - kernel) / stride + 1, (w - kernel) / stride + 1);
    }
}

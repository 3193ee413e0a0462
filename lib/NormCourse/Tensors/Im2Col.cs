namespace NormCourse.Tensors;

/// <summary>
/// im2col and its adjoint col2im: they turn a convolution into one matrix multiply (Chellapilla et al. 2006;
/// CS231n's <c>im2col.py</c>). For one image (C, H, W), a k×k kernel, stride s and zero padding p, the output
/// is H' × W' with H' = (H + 2p − k)/s + 1 (rounded down), and the column matrix is (C·k·k, H'·W'):
/// row (c, i, j) = (c·k + i)·k + j, column (oh, ow) = oh·W' + ow, holding image[c, oh·s − p + i, ow·s − p + j]
/// (zero where that falls in the padding). Its rows are ordered as a PyTorch weight (out, C, k, k) flattened
/// to (out, C·k·k), so the convolution is weight · columns.
/// </summary>
public static class Im2Col
{
    /// <summary>The output size along one axis: (size + 2·padding − kernel)/stride + 1, rounded down.</summary>
    public static int OutputSize(int size, int kernel, int stride, int padding) => (size + 2 * padding - kernel) / stride + 1;

    /// <summary>
    /// im2col: copies every k×k patch of <paramref name="image"/> (C, H, W) into a column of
    /// <paramref name="columns"/> (C·k·k, H'·W'), overwriting it.
    /// </summary>
    public static void Unfold<T>(ReadOnlySpan<T> image, int channels, int height, int width,
        int kernel, int stride, int padding, Span<T> columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outH = OutputSize(height, kernel, stride, padding), outW = OutputSize(width, kernel, stride, padding);
        int outLength = outH * outW;
        for (int c = 0; c < channels; c++)
        {
            var plane = image.Slice(c * height * width, height * width);
            for (int i = 0; i < kernel; i++)
            for (int j = 0; j < kernel; j++)
            {
                var row = columns.Slice(((c * kernel + i) * kernel + j) * outLength, outLength);
                for (int oh = 0; oh < outH; oh++)
                {
                    int h = oh * stride - padding + i;
                    var rowOut = row.Slice(oh * outW, outW);
                    if ((uint)h >= (uint)height)
                    {
                        rowOut.Clear();     // the whole output row reads the padding
                        continue;
                    }
                    if (stride == 1)
                    {
                        // Consecutive outputs read consecutive pixels: one copy of the run inside the image,
                        // zeros where the window hangs over the left or right edge.
                        var (first, end) = InsideRun(outW, width, padding, j);
                        rowOut[..first].Clear();
                        plane.Slice(h * width + first - padding + j, end - first).CopyTo(rowOut[first..end]);
                        rowOut[end..].Clear();
                        continue;
                    }
                    for (int ow = 0; ow < outW; ow++)
                    {
                        int w = ow * stride - padding + j;
                        rowOut[ow] = (uint)w < (uint)width ? plane[h * width + w] : T.Zero;
                    }
                }
            }
        }
    }

    /// <summary>
    /// col2im, the adjoint (transpose) of <see cref="Unfold{T}"/>: adds every column of <paramref name="columns"/>
    /// (C·k·k, H'·W') back onto the pixels it was read from in <paramref name="image"/> (C, H, W). A pixel read by
    /// several overlapping patches receives the sum; values that fell in the padding are dropped.
    /// The image is accumulated into, not overwritten, so the caller clears it first.
    /// </summary>
    public static void Fold<T>(ReadOnlySpan<T> columns, int channels, int height, int width,
        int kernel, int stride, int padding, Span<T> image)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outH = OutputSize(height, kernel, stride, padding), outW = OutputSize(width, kernel, stride, padding);
        int outLength = outH * outW;
        for (int c = 0; c < channels; c++)
        {
            var plane = image.Slice(c * height * width, height * width);
            for (int i = 0; i < kernel; i++)
            for (int j = 0; j < kernel; j++)
            {
                var row = columns.Slice(((c * kernel + i) * kernel + j) * outLength, outLength);
                for (int oh = 0; oh < outH; oh++)
                {
                    int h = oh * stride - padding + i;
                    if ((uint)h >= (uint)height) continue;
                    if (stride == 1)
                    {
                        var (first, end) = InsideRun(outW, width, padding, j);
                        InPlace.Add(plane.Slice(h * width + first - padding + j, end - first), row.Slice(oh * outW + first, end - first));
                        continue;
                    }
                    for (int ow = 0; ow < outW; ow++)
                    {
                        int w = ow * stride - padding + j;
                        if ((uint)w < (uint)width) plane[h * width + w] += row[oh * outW + ow];
                    }
                }
            }
        }
    }

    /// <summary>
    /// With stride 1, the outputs ow whose pixel w = ow − padding + j lies inside a row of <paramref name="width"/>:
    /// first…end−1, an empty run when none does.
    /// </summary>
    private static (int First, int End) InsideRun(int outW, int width, int padding, int j)
    {
        int first = Math.Clamp(padding - j, 0, outW), end = Math.Clamp(width + padding - j, first, outW);
        return (first, end);
    }
}

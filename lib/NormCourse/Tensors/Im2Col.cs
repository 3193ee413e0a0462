using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
    /// <paramref name="columns"/> (C·k·k, H'·W'), overwriting it. With <paramref name="images"/> &gt; 1 the span holds
    /// that many images (N, C, H, W) and the columns are (C·k·k, N·H'·W'), image s in the column block s·H'·W' onward:
    /// one matrix multiply then convolves them all.
    /// </summary>
    /// <remarks>
    /// The loops run over the column matrix's rows outermost and the images inside, so that each row is written from
    /// start to end in order rather than a short piece of every row per image.
    /// </remarks>
    public static void Unfold<T>(ReadOnlySpan<T> image, int channels, int height, int width,
        int kernel, int stride, int padding, Span<T> columns, int images = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outH = OutputSize(height, kernel, stride, padding), outW = OutputSize(width, kernel, stride, padding);
        int outLength = outH * outW, planeLength = height * width;
        CheckSizes(image.Length, columns.Length, images, channels, planeLength, kernel, outLength);
        for (int c = 0; c < channels; c++)
        for (int i = 0; i < kernel; i++)
        for (int j = 0; j < kernel; j++)
        {
            var row = columns.Slice(((c * kernel + i) * kernel + j) * images * outLength, images * outLength);
            for (int s = 0; s < images; s++)
            {
                var plane = image.Slice((s * channels + c) * planeLength, planeLength);
                var block = row.Slice(s * outLength, outLength);
                if (stride == 1)
                {
                    UnfoldStrideOne(plane, height, width, padding, i, j, outH, outW, block);
                    continue;
                }
                for (int oh = 0; oh < outH; oh++)
                {
                    int h = oh * stride - padding + i;
                    var rowOut = block.Slice(oh * outW, outW);
                    if ((uint)h >= (uint)height)
                    {
                        rowOut.Clear();     // the whole output row reads the padding
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
    /// The image is accumulated into, not overwritten, so the caller clears it first. <paramref name="images"/> is
    /// <see cref="Unfold{T}"/>'s: (C·k·k, N·H'·W') columns onto N images, read in the same order.
    /// </summary>
    public static void Fold<T>(ReadOnlySpan<T> columns, int channels, int height, int width,
        int kernel, int stride, int padding, Span<T> image, int images = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outH = OutputSize(height, kernel, stride, padding), outW = OutputSize(width, kernel, stride, padding);
        int outLength = outH * outW, planeLength = height * width;
        CheckSizes(image.Length, columns.Length, images, channels, planeLength, kernel, outLength);
        for (int c = 0; c < channels; c++)
        for (int i = 0; i < kernel; i++)
        for (int j = 0; j < kernel; j++)
        {
            var row = columns.Slice(((c * kernel + i) * kernel + j) * images * outLength, images * outLength);
            var (first, end) = InsideRun(outW, width, padding, j);
            for (int s = 0; s < images; s++)
            {
                var plane = image.Slice((s * channels + c) * planeLength, planeLength);
                var block = row.Slice(s * outLength, outLength);
                for (int oh = 0; oh < outH; oh++)
                {
                    int h = oh * stride - padding + i;
                    if ((uint)h >= (uint)height) continue;
                    if (stride == 1)
                    {
                        InPlace.Add(plane.Slice(h * width + first - padding + j, end - first), block.Slice(oh * outW + first, end - first));
                        continue;
                    }
                    for (int ow = 0; ow < outW; ow++)
                    {
                        int w = ow * stride - padding + j;
                        if ((uint)w < (uint)width) plane[h * width + w] += block[oh * outW + ow];
                    }
                }
            }
        }
    }

    /// <summary>The image span must hold the images and the column span their columns; say which falls short.</summary>
    private static void CheckSizes(int imageLength, int columnsLength, int images, int channels, int planeLength, int kernel, int outLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(images);
        long pixels = (long)images * channels * planeLength, values = (long)channels * kernel * kernel * images * outLength;
        if (imageLength < pixels)
            throw new ArgumentException($"The images hold {imageLength} values; {images} image(s) of {channels}×{planeLength} pixels need {pixels}.", "image");
        if (columnsLength < values)
            throw new ArgumentException($"The column matrix holds {columnsLength} values; ({channels * kernel * kernel}, {images}·{outLength}) needs {values}.", "columns");
    }

    /// <summary>
    /// One image's block of a column-matrix row (c, i, j) at stride 1: consecutive outputs read consecutive pixels, so
    /// each output row is one run copied from the image (its bounds depend only on j), with zeros where the window
    /// hangs over the left or right edge, and all zeros where it hangs over the top or bottom.
    /// </summary>
    private static void UnfoldStrideOne<T>(ReadOnlySpan<T> plane, int height, int width, int padding, int i, int j, int outH, int outW,
        Span<T> block)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (first, end) = InsideRun(outW, width, padding, j);
        for (int oh = 0; oh < outH; oh++)
        {
            int h = oh - padding + i;
            var rowOut = block.Slice(oh * outW, outW);
            if ((uint)h >= (uint)height)
            {
                rowOut.Clear();
                continue;
            }
            // The edges hold at most `padding` zeros: set one by one, cheaper than calling Clear for them.
            for (int ow = 0; ow < first; ow++) rowOut[ow] = T.Zero;
            CopyRun(plane.Slice(h * width + first - padding + j, end - first), rowOut[first..end]);
            for (int ow = end; ow < outW; ow++) rowOut[ow] = T.Zero;
        }
    }

    /// <summary>
    /// Copies a run of an output row as vectors, the last one overlapping the one before, when the run is at least a
    /// vector long: a small image's output rows are 10–28 values, where <c>Span.CopyTo</c>'s call and checks cost more
    /// than the copy (unfolding 64 of LeNet's second-layer inputs: 0.64 → 0.44 ms on the course's machine).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun<T>(ReadOnlySpan<T> source, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = source.Length, lanes = Vector256<T>.Count;
        if (!Vector256.IsHardwareAccelerated || !Vector256<T>.IsSupported || n < lanes || destination.Length != n)
        {
            source.CopyTo(destination);
            return;
        }
        ref T from = ref MemoryMarshal.GetReference(source);
        ref T to = ref MemoryMarshal.GetReference(destination);
        for (int k = 0; k < n - lanes; k += lanes)
            Vector256.LoadUnsafe(ref from, (nuint)k).StoreUnsafe(ref to, (nuint)k);
        Vector256.LoadUnsafe(ref from, (nuint)(n - lanes)).StoreUnsafe(ref to, (nuint)(n - lanes));
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

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
            if (stride == 1)
            {
                UnfoldStrideOne(image[(c * planeLength)..], channels * planeLength, height, width, padding, i, j, outH, outW, row, images);
                continue;
            }
            for (int s = 0; s < images; s++)
            {
                var plane = image.Slice((s * channels + c) * planeLength, planeLength);
                var block = row.Slice(s * outLength, outLength);
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
            if (stride == 1)
            {
                FoldStrideOne(row, height, width, padding, i, j, outH, outW, image[(c * planeLength)..], channels * planeLength, images);
                continue;
            }
            for (int s = 0; s < images; s++)
            {
                var plane = image.Slice((s * channels + c) * planeLength, planeLength);
                var block = row.Slice(s * outLength, outLength);
                for (int oh = 0; oh < outH; oh++)
                {
                    int h = oh * stride - padding + i;
                    if ((uint)h >= (uint)height) continue;
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
    /// A column-matrix row (c, i, j) at stride 1, one block of H'·W' per image: consecutive outputs read consecutive
    /// pixels, so each output row is one run copied from the image (its bounds depend only on j), with zeros where the
    /// window hangs over the left or right edge, and all zeros where it hangs over the top or bottom. The first image's
    /// plane c starts <paramref name="planes"/>; the next image's is <paramref name="imageStride"/> values on.
    /// </summary>
    /// <remarks>
    /// Walked with references rather than slices, all images in one call: LeNet's output rows are 10–28 values, where
    /// a slice's checks per row, or a call per image, cost as much as the copy (unfolding 64 of LeNet's second-layer
    /// inputs, as 16 chunks of 4: 333 → 159 µs on the course's machine, 2026-12-04). <see cref="Unfold{T}"/> has
    /// checked the spans' lengths.
    /// </remarks>
    private static void UnfoldStrideOne<T>(ReadOnlySpan<T> planes, int imageStride, int height, int width, int padding, int i, int j,
        int outH, int outW, Span<T> row, int images)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (first, end) = InsideRun(outW, width, padding, j);
        var (top, bottom) = InsideRun(outH, height, padding, i);
        int outLength = outH * outW;
        if (top == bottom || first == end)
        {
            row[..(images * outLength)].Clear();   // every window of this (i, j) reads the padding
            return;
        }
        for (int s = 0; s < images; s++)
        {
            var block = row.Slice(s * outLength, outLength);
            if (top > 0) block[..(top * outW)].Clear();
            if (bottom < outH) block[(bottom * outW)..].Clear();
            ref T source = ref Unsafe.Add(ref MemoryMarshal.GetReference(planes), s * imageStride + (top - padding + i) * width + first - padding + j);
            ref T rowOut = ref Unsafe.Add(ref MemoryMarshal.GetReference(block), top * outW);
            for (int oh = top; ; )
            {
                // The edges hold at most `padding` zeros: set one by one, cheaper than calling Clear for them.
                for (int ow = 0; ow < first; ow++) Unsafe.Add(ref rowOut, ow) = T.Zero;
                CopyRun(ref source, ref Unsafe.Add(ref rowOut, first), end - first);
                for (int ow = end; ow < outW; ow++) Unsafe.Add(ref rowOut, ow) = T.Zero;
                // Stepped to the next row only when there is one: a reference past the arrays is not allowed to exist.
                if (++oh == bottom) break;
                source = ref Unsafe.Add(ref source, width);
                rowOut = ref Unsafe.Add(ref rowOut, outW);
            }
        }
    }

    /// <summary>
    /// <see cref="UnfoldStrideOne{T}"/>'s transpose: adds each output row's inside run of each image's block of a
    /// column-matrix row (c, i, j) onto the pixels it was copied from, walked as that is.
    /// </summary>
    private static void FoldStrideOne<T>(ReadOnlySpan<T> row, int height, int width, int padding, int i, int j, int outH, int outW,
        Span<T> planes, int imageStride, int images)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (first, end) = InsideRun(outW, width, padding, j);
        var (top, bottom) = InsideRun(outH, height, padding, i);
        if (top == bottom || first == end) return;   // every value of this (i, j) fell in the padding
        for (int s = 0; s < images; s++)
        {
            ref T source = ref Unsafe.Add(ref MemoryMarshal.GetReference(row), s * outH * outW + top * outW + first);
            ref T target = ref Unsafe.Add(ref MemoryMarshal.GetReference(planes), s * imageStride + (top - padding + i) * width + first - padding + j);
            for (int oh = top; ; )
            {
                AddRun(ref source, ref target, end - first);
                if (++oh == bottom) break;   // as in UnfoldStrideOne: no reference past the arrays
                source = ref Unsafe.Add(ref source, outW);
                target = ref Unsafe.Add(ref target, width);
            }
        }
    }

    /// <summary>
    /// Copies a run of an output row as vectors, the last one overlapping the one before, when the run is at least a
    /// vector long: a small image's output rows are 10–28 values, where <c>Span.CopyTo</c>'s call and checks cost more
    /// than the copy (unfolding 64 of LeNet's second-layer inputs: 0.64 → 0.44 ms on the course's machine).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun<T>(ref T from, ref T to, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector256<T>.Count;
        if (!Vector256.IsHardwareAccelerated || !Vector256<T>.IsSupported || n < lanes)
        {
            for (int k = 0; k < n; k++) Unsafe.Add(ref to, k) = Unsafe.Add(ref from, k);
            return;
        }
        for (int k = 0; k < n - lanes; k += lanes)
            Vector256.LoadUnsafe(ref from, (nuint)k).StoreUnsafe(ref to, (nuint)k);
        Vector256.LoadUnsafe(ref from, (nuint)(n - lanes)).StoreUnsafe(ref to, (nuint)(n - lanes));
    }

    /// <summary>
    /// to[0…n) += from[0…n) as 256-bit vectors, then 128-bit ones, then one by one: unlike a copy, an addition cannot
    /// overlap the vector before it. Runs of 10–28 values, where a general loop's call and checks cost more than the adds
    /// (folding 64 of LeNet's second-layer gradients, with the calls per image gone too: 348 → 172 µs on the course's
    /// machine).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRun<T>(ref T from, ref T to, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
            for (; k <= n - Vector256<T>.Count; k += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref to, (nuint)k) + Vector256.LoadUnsafe(ref from, (nuint)k)).StoreUnsafe(ref to, (nuint)k);
        if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported)
            for (; k <= n - Vector128<T>.Count; k += Vector128<T>.Count)
                (Vector128.LoadUnsafe(ref to, (nuint)k) + Vector128.LoadUnsafe(ref from, (nuint)k)).StoreUnsafe(ref to, (nuint)k);
        for (; k < n; k++) Unsafe.Add(ref to, k) += Unsafe.Add(ref from, k);
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

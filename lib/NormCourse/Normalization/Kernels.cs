using System.Runtime.InteropServices;
using NormCourse.Normalization.Reference;
using NormCourse.Tensors;
using NormCourse.Tensors.Simd;

namespace NormCourse.Normalization;

/// <summary>
/// What the layers call: <see cref="FloatKernels"/> for float32, in the widest vectors the CPU accelerates
/// (<see cref="VectorWidths.Widest"/>) and with the process's <see cref="Worker"/> for large tensors, the reference loops of <see cref="NormalizationKernels"/> otherwise (float64,
/// machines without vector units). Same arguments, same results.
/// </summary>
internal static class Kernels
{
    private static bool Fast<T>() => typeof(T) == typeof(float) && VectorWidths.AnyAccelerated;

    private static ReadOnlySpan<float> F<T>(ReadOnlySpan<T> s) where T : unmanaged => MemoryMarshal.Cast<T, float>(s);

    private static Span<float> F<T>(Span<T> s) where T : unmanaged => MemoryMarshal.Cast<T, float>(s);

    public static void Normalize<T>(ReadOnlySpan<T> x, ChannelLayout layout, ReadOnlySpan<double> mean, ReadOnlySpan<double> invStd,
        ReadOnlySpan<double> scale, ReadOnlySpan<double> shift, Span<T> y, Range channels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Fast<T>()) FloatKernels.Normalize(F(x), layout, layout.Bounds(channels), mean, invStd, scale, shift, F(y), VectorWidths.Widest, TwoHalves.WorkerFor(layout));
        else NormalizationKernels.Normalize(x, layout, mean, invStd, scale, shift, y, channels);
    }

    public static void NormalizeRows<T>(ReadOnlySpan<T> x, ChannelLayout rows, ReadOnlySpan<double> mean, ReadOnlySpan<double> invStd,
        ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Fast<T>()) FloatKernels.NormalizeRows(F(x), rows, mean, invStd, F(gamma), F(beta), F(y), VectorWidths.Widest);
        else NormalizationKernels.NormalizeRows(x, rows, mean, invStd, gamma, beta, y);
    }

    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> weight, ReadOnlySpan<T> x, ChannelLayout layout,
        ReadOnlySpan<double> mean, ReadOnlySpan<double> invStd, ReadOnlySpan<double> k, ReadOnlySpan<double> a, ReadOnlySpan<double> b,
        Span<T> dx, Range channels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Fast<T>()) FloatKernels.Backward(F(dy), F(weight), F(x), layout, layout.Bounds(channels), mean, invStd, k, a, b, F(dx), VectorWidths.Widest, TwoHalves.WorkerFor(layout));
        else NormalizationKernels.Backward(dy, weight, x, layout, mean, invStd, k, a, b, dx, channels);
    }
}

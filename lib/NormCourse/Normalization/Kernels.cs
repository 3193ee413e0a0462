using System.Runtime.InteropServices;
using NormCourse.Normalization.Reference;

namespace NormCourse.Normalization;

/// <summary>
/// What the layers call: <see cref="FloatKernels"/> for float32 where the CPU has AVX-512, the reference loops of
/// <see cref="NormalizationKernels"/> otherwise (float64, other machines). Same arguments, same results.
/// </summary>
internal static class Kernels
{
    private static bool Fast<T>() => typeof(T) == typeof(float) && FloatKernels.IsSupported;

    private static ReadOnlySpan<float> F<T>(ReadOnlySpan<T> s) where T : unmanaged => MemoryMarshal.Cast<T, float>(s);

    private static Span<float> F<T>(Span<T> s) where T : unmanaged => MemoryMarshal.Cast<T, float>(s);

    public static void Normalize<T>(ReadOnlySpan<T> x, ChannelLayout layout, ReadOnlySpan<double> mean, ReadOnlySpan<double> invStd,
        ReadOnlySpan<double> scale, ReadOnlySpan<double> shift, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Fast<T>()) FloatKernels.Normalize(F(x), layout, mean, invStd, scale, shift, F(y));
        else NormalizationKernels.Normalize(x, layout, mean, invStd, scale, shift, y);
    }

    public static void NormalizeRows<T>(ReadOnlySpan<T> x, ChannelLayout rows, ReadOnlySpan<double> mean, ReadOnlySpan<double> invStd,
        ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Fast<T>()) FloatKernels.NormalizeRows(F(x), rows, mean, invStd, F(gamma), F(beta), F(y));
        else NormalizationKernels.NormalizeRows(x, rows, mean, invStd, gamma, beta, y);
    }

    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> weight, ReadOnlySpan<T> x, ChannelLayout layout,
        ReadOnlySpan<double> mean, ReadOnlySpan<double> invStd, ReadOnlySpan<double> k, ReadOnlySpan<double> a, ReadOnlySpan<double> b,
        Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Fast<T>()) FloatKernels.Backward(F(dy), F(weight), F(x), layout, mean, invStd, k, a, b, F(dx));
        else NormalizationKernels.Backward(dy, weight, x, layout, mean, invStd, k, a, b, dx);
    }
}

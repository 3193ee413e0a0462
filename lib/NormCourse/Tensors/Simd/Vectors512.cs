using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormCourse.Tensors.Simd;

/// <summary>16 floats in one AVX-512 register.</summary>
internal readonly unsafe struct Float512 : IFloatVector<Float512, Double512>
{
    private readonly Vector512<float> _v;

    private Float512(Vector512<float> v) => _v = v;

    public static int Count => Vector512<float>.Count;
    public static Float512 Zero => new(Vector512<float>.Zero);
    public static Float512 Create(float value) => new(Vector512.Create(value));
    public static Float512 Load(float* source) => new(Vector512.Load(source));
    public void Store(float* destination) => _v.Store(destination);
    public void StoreNonTemporal(float* destination) => _v.StoreAlignedNonTemporal(destination);
    public static bool CanShift => Avx512F.IsSupported;
    public static Float512 ShiftLanes(int phase) => new((Vector512<int>.Indices + Vector512.Create(phase)).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float512 Shift(Float512 lower, Float512 upper, Float512 lanes) =>
        CanShift
            ? new(Avx512F.PermuteVar16x32x2(lower._v, lanes._v.AsInt32(), upper._v))
            : throw new PlatformNotSupportedException("Shift needs AVX-512.");

    public static Float512 operator +(Float512 left, Float512 right) => new(left._v + right._v);
    public static Float512 operator -(Float512 left, Float512 right) => new(left._v - right._v);
    public static Float512 operator -(Float512 value) => new(-value._v);
    public static Float512 operator *(Float512 left, Float512 right) => new(left._v * right._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float512 MultiplyAdd(Float512 a, Float512 b, Float512 c) =>
        Avx512F.IsSupported ? new(Vector512.FusedMultiplyAdd(a._v, b._v, c._v)) : new(a._v * b._v + c._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float512 MultiplyAddNegated(Float512 a, Float512 b, Float512 c) =>
        Avx512F.IsSupported ? new(Avx512F.FusedMultiplyAddNegated(a._v, b._v, c._v)) : new(c._v - a._v * b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (Double512 Lower, Double512 Upper) Widen()
    {
        var (lower, upper) = Vector512.Widen(_v);
        return (new(lower), new(upper));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Double512 Lower, Double512 Upper) LoadWidened(float* source) =>
        Avx512F.IsSupported
            ? (new(Avx512F.ConvertToVector512Double(Vector256.Load(source))), new(Avx512F.ConvertToVector512Double(Vector256.Load(source + 8))))
            : Load(source).Widen();
}

/// <summary>8 doubles in one AVX-512 register.</summary>
internal readonly unsafe struct Double512 : IDoubleVector<Double512>
{
    private readonly Vector512<double> _v;

    internal Double512(Vector512<double> v) => _v = v;

    public static int Count => Vector512<double>.Count;
    public static Double512 Create(double value) => new(Vector512.Create(value));
    public static Double512 Load(double* source) => new(Vector512.Load(source));
    public void Store(double* destination) => _v.Store(destination);
    public static Double512 operator +(Double512 left, Double512 right) => new(left._v + right._v);
    public static Double512 operator -(Double512 left, Double512 right) => new(left._v - right._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 MultiplyAdd(Double512 a, Double512 b, Double512 c) =>
        Avx512F.IsSupported ? new(Vector512.FusedMultiplyAdd(a._v, b._v, c._v)) : new(a._v * b._v + c._v);

    public double Sum() => Vector512.Sum(_v);
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormCourse.Tensors.Simd;

/// <summary>8 floats in one AVX register (AVX2 machines).</summary>
internal readonly unsafe struct Float256 : IFloatVector<Float256, Double256>
{
    private readonly Vector256<float> _v;

    private Float256(Vector256<float> v) => _v = v;

    public static int Count => Vector256<float>.Count;
    public static Float256 Zero => new(Vector256<float>.Zero);
    public static Float256 Create(float value) => new(Vector256.Create(value));
    public static Float256 Load(float* source) => new(Vector256.Load(source));
    public void Store(float* destination) => _v.Store(destination);
    public void StoreNonTemporal(float* destination) => _v.StoreAlignedNonTemporal(destination);
    public static bool CanShift => Avx512F.VL.IsSupported;
    public static Float256 ShiftLanes(int phase) => new((Vector256<int>.Indices + Vector256.Create(phase)).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float256 Shift(Float256 lower, Float256 upper, Float256 lanes) =>
        CanShift
            ? new(Avx512F.VL.PermuteVar8x32x2(lower._v, lanes._v.AsInt32(), upper._v))
            : throw new PlatformNotSupportedException("Shift needs AVX-512.");

    public static Float256 operator +(Float256 left, Float256 right) => new(left._v + right._v);
    public static Float256 operator -(Float256 left, Float256 right) => new(left._v - right._v);
    public static Float256 operator -(Float256 value) => new(-value._v);
    public static Float256 operator *(Float256 left, Float256 right) => new(left._v * right._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float256 MultiplyAdd(Float256 a, Float256 b, Float256 c) =>
        Fma.IsSupported ? new(Vector256.FusedMultiplyAdd(a._v, b._v, c._v)) : new(a._v * b._v + c._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float256 MultiplyAddNegated(Float256 a, Float256 b, Float256 c) =>
        Fma.IsSupported ? new(Fma.MultiplyAddNegated(a._v, b._v, c._v)) : new(c._v - a._v * b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (Double256 Lower, Double256 Upper) Widen()
    {
        var (lower, upper) = Vector256.Widen(_v);
        return (new(lower), new(upper));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Double256 Lower, Double256 Upper) LoadWidened(float* source) =>
        Avx.IsSupported
            ? (new(Avx.ConvertToVector256Double(Vector128.Load(source))), new(Avx.ConvertToVector256Double(Vector128.Load(source + 4))))
            : Load(source).Widen();
}

/// <summary>4 doubles in one AVX register (AVX2 machines).</summary>
internal readonly unsafe struct Double256 : IDoubleVector<Double256>
{
    private readonly Vector256<double> _v;

    internal Double256(Vector256<double> v) => _v = v;

    public static int Count => Vector256<double>.Count;
    public static Double256 Create(double value) => new(Vector256.Create(value));
    public static Double256 Load(double* source) => new(Vector256.Load(source));
    public void Store(double* destination) => _v.Store(destination);
    public static Double256 operator +(Double256 left, Double256 right) => new(left._v + right._v);
    public static Double256 operator -(Double256 left, Double256 right) => new(left._v - right._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 MultiplyAdd(Double256 a, Double256 b, Double256 c) =>
        Fma.IsSupported ? new(Vector256.FusedMultiplyAdd(a._v, b._v, c._v)) : new(a._v * b._v + c._v);

    public double Sum() => Vector256.Sum(_v);
}

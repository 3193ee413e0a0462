using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NormCourse.Tensors.Simd;

/// <summary>4 floats in one SSE or NEON register.</summary>
internal readonly unsafe struct Float128 : IFloatVector<Float128, Double128>
{
    private readonly Vector128<float> _v;

    private Float128(Vector128<float> v) => _v = v;

    public static int Count => Vector128<float>.Count;
    public static Float128 Zero => new(Vector128<float>.Zero);
    public static Float128 Create(float value) => new(Vector128.Create(value));
    public static Float128 Load(float* source) => new(Vector128.Load(source));
    public void Store(float* destination) => _v.Store(destination);
    public void StoreNonTemporal(float* destination) => _v.StoreAlignedNonTemporal(destination);
    public static bool CanShift => Avx512F.VL.IsSupported;
    public static Float128 ShiftLanes(int phase) => new((Vector128<int>.Indices + Vector128.Create(phase)).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float128 Shift(Float128 lower, Float128 upper, Float128 lanes) =>
        CanShift
            ? new(Avx512F.VL.PermuteVar4x32x2(lower._v, lanes._v.AsInt32(), upper._v))
            : throw new PlatformNotSupportedException("Shift needs AVX-512.");

    public static Float128 operator +(Float128 left, Float128 right) => new(left._v + right._v);
    public static Float128 operator -(Float128 left, Float128 right) => new(left._v - right._v);
    public static Float128 operator -(Float128 value) => new(-value._v);
    public static Float128 operator *(Float128 left, Float128 right) => new(left._v * right._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float128 MultiplyAdd(Float128 a, Float128 b, Float128 c) =>
        Fma.IsSupported || AdvSimd.IsSupported ? new(Vector128.FusedMultiplyAdd(a._v, b._v, c._v)) : new(a._v * b._v + c._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float128 MultiplyAddNegated(Float128 a, Float128 b, Float128 c) =>
        Fma.IsSupported ? new(Fma.MultiplyAddNegated(a._v, b._v, c._v))
        : AdvSimd.IsSupported ? new(AdvSimd.FusedMultiplySubtract(c._v, a._v, b._v))
        : new(c._v - a._v * b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (Double128 Lower, Double128 Upper) Widen()
    {
        var (lower, upper) = Vector128.Widen(_v);
        return (new(lower), new(upper));
    }

    // Two floats are too few to load on their own as a vector: this width loads four and widens the register.
    public static (Double128 Lower, Double128 Upper) LoadWidened(float* source) => Load(source).Widen();
}

/// <summary>2 doubles in one SSE or NEON register.</summary>
internal readonly unsafe struct Double128 : IDoubleVector<Double128>
{
    private readonly Vector128<double> _v;

    internal Double128(Vector128<double> v) => _v = v;

    public static int Count => Vector128<double>.Count;
    public static Double128 Create(double value) => new(Vector128.Create(value));
    public static Double128 Load(double* source) => new(Vector128.Load(source));
    public void Store(double* destination) => _v.Store(destination);
    public static Double128 operator +(Double128 left, Double128 right) => new(left._v + right._v);
    public static Double128 operator -(Double128 left, Double128 right) => new(left._v - right._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double128 MultiplyAdd(Double128 a, Double128 b, Double128 c) =>
        Fma.IsSupported || AdvSimd.IsSupported ? new(Vector128.FusedMultiplyAdd(a._v, b._v, c._v)) : new(a._v * b._v + c._v);

    public double Sum() => Vector128.Sum(_v);
}

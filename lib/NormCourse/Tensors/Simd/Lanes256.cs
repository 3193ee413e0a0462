using System.Runtime.Intrinsics;

namespace NormCourse.Tensors.Simd;

/// <summary>A Vector256 of <typeparamref name="T"/>: 8 floats or 4 doubles (AVX2).</summary>
internal readonly struct Lanes256<T> : IVector<Lanes256<T>, T> where T : unmanaged
{
    private readonly Vector256<T> _v;

    private Lanes256(Vector256<T> v) => _v = v;

    public static bool IsSupported => Vector256<T>.IsSupported;
    public static int Count => Vector256<T>.Count;
    public static Lanes256<T> Create(T value) => new(Vector256.Create(value));
    public static Lanes256<T> Load(ref T source, nuint index) => new(Vector256.LoadUnsafe(ref source, index));
    public void Store(ref T destination, nuint index) => _v.StoreUnsafe(ref destination, index);
    public static Lanes256<T> operator +(Lanes256<T> left, Lanes256<T> right) => new(left._v + right._v);
    public static Lanes256<T> operator -(Lanes256<T> left, Lanes256<T> right) => new(left._v - right._v);
    public static Lanes256<T> operator *(Lanes256<T> left, Lanes256<T> right) => new(left._v * right._v);

    public static Lanes256<T> WherePositive(Lanes256<T> condition, Lanes256<T> value) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThan(condition._v, Vector256<T>.Zero), value._v, Vector256<T>.Zero));
}

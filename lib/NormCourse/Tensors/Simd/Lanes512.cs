using System.Runtime.Intrinsics;

namespace NormCourse.Tensors.Simd;

/// <summary>A Vector512 of <typeparamref name="T"/>: 16 floats or 8 doubles (AVX-512).</summary>
internal readonly struct Lanes512<T> : IVector<Lanes512<T>, T> where T : unmanaged
{
    private readonly Vector512<T> _v;

    private Lanes512(Vector512<T> v) => _v = v;

    public static bool IsSupported => Vector512<T>.IsSupported;
    public static int Count => Vector512<T>.Count;
    public static Lanes512<T> Create(T value) => new(Vector512.Create(value));
    public static Lanes512<T> Load(ref T source, nuint index) => new(Vector512.LoadUnsafe(ref source, index));
    public void Store(ref T destination, nuint index) => _v.StoreUnsafe(ref destination, index);
    public static Lanes512<T> operator +(Lanes512<T> left, Lanes512<T> right) => new(left._v + right._v);
    public static Lanes512<T> operator -(Lanes512<T> left, Lanes512<T> right) => new(left._v - right._v);
    public static Lanes512<T> operator *(Lanes512<T> left, Lanes512<T> right) => new(left._v * right._v);

    public static Lanes512<T> WherePositive(Lanes512<T> condition, Lanes512<T> value) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThan(condition._v, Vector512<T>.Zero), value._v, Vector512<T>.Zero));
}

using System.Runtime.Intrinsics;

namespace NormCourse.Tensors.Simd;

/// <summary>A Vector128 of <typeparamref name="T"/>: 4 floats or 2 doubles (SSE, Arm NEON).</summary>
internal readonly struct Lanes128<T> : IVector<Lanes128<T>, T> where T : unmanaged
{
    private readonly Vector128<T> _v;

    private Lanes128(Vector128<T> v) => _v = v;

    public static bool IsSupported => Vector128<T>.IsSupported;
    public static int Count => Vector128<T>.Count;
    public static Lanes128<T> Create(T value) => new(Vector128.Create(value));
    public static Lanes128<T> Load(ref T source, nuint index) => new(Vector128.LoadUnsafe(ref source, index));
    public void Store(ref T destination, nuint index) => _v.StoreUnsafe(ref destination, index);
    public static Lanes128<T> operator +(Lanes128<T> left, Lanes128<T> right) => new(left._v + right._v);
    public static Lanes128<T> operator -(Lanes128<T> left, Lanes128<T> right) => new(left._v - right._v);
    public static Lanes128<T> operator *(Lanes128<T> left, Lanes128<T> right) => new(left._v * right._v);

    public static Lanes128<T> WherePositive(Lanes128<T> condition, Lanes128<T> value) =>
        new(Vector128.ConditionalSelect(Vector128.GreaterThan(condition._v, Vector128<T>.Zero), value._v, Vector128<T>.Zero));
}

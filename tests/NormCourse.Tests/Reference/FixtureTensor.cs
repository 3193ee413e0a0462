using System.Numerics;
using System.Text.Json;
using NormCourse.Tensors;

namespace NormCourse.Tests.Reference;

/// <summary>A tensor read from a fixture: its shape and row-major values (exact, also for float32 fixtures).</summary>
public sealed record FixtureTensor(int[] Shape, double[] Data)
{
    /// <summary>
    /// Reads <c>{"shape": [...], "data": [...]}</c>. Float32 values are parsed as float (correctly rounded) and
    /// widened, so converting back to float gives exactly the float32 that PyTorch stored.
    /// </summary>
    public static FixtureTensor Parse(JsonElement element, bool float32, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{where}: expected a tensor object, got {element.ValueKind}.");
        int[] shape = element.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        double[] data = element.GetProperty("data").EnumerateArray()
            .Select(e => float32 ? e.GetSingle() : e.GetDouble()).ToArray();
        long expected = shape.Aggregate(1L, (a, d) => a * d);
        if (data.Length != expected)
            throw new InvalidDataException($"{where}: shape ({string.Join(", ", shape)}) needs {expected} values, got {data.Length}.");
        return new FixtureTensor(shape, data);
    }

    /// <summary>Reads an optional tensor: <c>null</c> or a missing property give null.</summary>
    public static FixtureTensor? ParseOptional(JsonElement parent, string name, bool float32, string where) =>
        parent.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Null
            ? Parse(e, float32, $"{where}.{name}")
            : null;

    /// <summary>The values as a fresh tensor of element type <typeparamref name="T"/>.</summary>
    public Tensor<T> ToTensor<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor<T>.FromArray(Data.Select(T.CreateChecked).ToArray(), Shape);
}

using System.Text.Json;

namespace NormCourse.Tests.Reference;

/// <summary>
/// One forward/backward step of a fixture: the mode, the input and upstream gradient dy, and what PyTorch
/// computed (L = Σ y·dy). Buffers are the running statistics after the step; null when the layer has none.
/// </summary>
public sealed record FixtureStep(
    bool Training,
    double? RMax,
    double? DMax,
    FixtureTensor Input,
    FixtureTensor GradOutput,
    FixtureTensor Output,
    FixtureTensor GradInput,
    FixtureTensor? GradWeight,
    FixtureTensor? GradBias,
    FixtureTensor? RunningMean,
    FixtureTensor? RunningVar,
    FixtureTensor? RunningStd,
    long? NumBatchesTracked)
{
    /// <summary>Reads one element of a fixture's <c>steps</c> array.</summary>
    public static FixtureStep Parse(JsonElement e, bool float32, string where)
    {
        static double? OptionalDouble(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.GetDouble() : null;

        return new FixtureStep(
            e.GetProperty("training").GetBoolean(),
            OptionalDouble(e, "r_max"),
            OptionalDouble(e, "d_max"),
            FixtureTensor.Parse(e.GetProperty("input"), float32, $"{where}.input"),
            FixtureTensor.Parse(e.GetProperty("grad_output"), float32, $"{where}.grad_output"),
            FixtureTensor.Parse(e.GetProperty("output"), float32, $"{where}.output"),
            FixtureTensor.Parse(e.GetProperty("grad_input"), float32, $"{where}.grad_input"),
            FixtureTensor.ParseOptional(e, "grad_weight", float32, where),
            FixtureTensor.ParseOptional(e, "grad_bias", float32, where),
            FixtureTensor.ParseOptional(e, "running_mean", float32, where),
            FixtureTensor.ParseOptional(e, "running_var", float32, where),
            FixtureTensor.ParseOptional(e, "running_std", float32, where),
            e.TryGetProperty("num_batches_tracked", out var n) && n.ValueKind != JsonValueKind.Null ? n.GetInt64() : null);
    }
}

namespace NormCourse.Experiments;

/// <summary>One configuration of a sweep's grid.</summary>
/// <param name="Index">Its position in the grid (the first axis varies slowest).</param>
/// <param name="Config">The full configuration to run.</param>
/// <param name="Values">The value of each axis, in axis order.</param>
public sealed record SweepPoint<TConfig>(int Index, TConfig Config, IReadOnlyList<SweepValue> Values)
{
    /// <summary>A label naming the configuration by its axis values, e.g. <c>Norm=BatchNorm, LearningRate=0.1</c>, for legends.</summary>
    public string Label => string.Join(", ", Values);
}

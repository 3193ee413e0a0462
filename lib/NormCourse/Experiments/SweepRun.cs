using NormCourse.Training;

namespace NormCourse.Experiments;

/// <summary>One finished run of a sweep: its axis values and its history.</summary>
/// <param name="Index">Its position in the grid.</param>
/// <param name="Values">The value of each axis, in axis order.</param>
/// <param name="History">What the run recorded.</param>
public sealed record SweepRun(int Index, IReadOnlyList<SweepValue> Values, TrainingHistory History)
{
    /// <summary>A label naming the run by its axis values, for legends.</summary>
    public string Label => string.Join(", ", Values);
}

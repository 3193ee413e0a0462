namespace NormCourse.Charts;

/// <summary>Shared look of the course's charts.</summary>
public static class ChartDefaults
{
    /// <summary>Default chart width in pixels.</summary>
    public const int Width = 800;

    /// <summary>Default chart height in pixels.</summary>
    public const int Height = 450;
}

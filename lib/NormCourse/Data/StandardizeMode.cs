namespace NormCourse.Data;

/// <summary>Which statistics a <see cref="Standardizer"/> fits.</summary>
public enum StandardizeMode
{
    /// <summary>One mean and one standard deviation per feature (per pixel).</summary>
    PerFeature,

    /// <summary>One mean and one standard deviation over all values (the usual MNIST 0.1307 / 0.3081 kind).</summary>
    Global,
}

namespace NormCourse.Training;

/// <summary>Which optimizer an <see cref="OptimizerConfig"/> creates.</summary>
public enum OptimizerKind
{
    /// <summary><see cref="Sgd{T}"/>, with optional momentum.</summary>
    Sgd,

    /// <summary><see cref="Adam{T}"/>.</summary>
    Adam,
}

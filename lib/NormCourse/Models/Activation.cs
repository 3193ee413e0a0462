namespace NormCourse.Models;

/// <summary>The elementwise nonlinearities the model builders use.</summary>
public enum Activation
{
    /// <summary>max(0, x).</summary>
    ReLU,

    /// <summary>1 / (1 + e⁻ˣ).</summary>
    Sigmoid,

    /// <summary>tanh x.</summary>
    Tanh,
}

using NormCourse.Tensors;

namespace NormCourse.Layers;

/// <summary>A learnable tensor and the gradient that <c>Backward</c> accumulates into.</summary>
public sealed class Parameter<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The current value; optimizers update it in place.</summary>
    public Tensor<T> Value { get; }

    /// <summary>∂loss/∂value, summed over every <c>Backward</c> call since the last <see cref="ZeroGrad"/>.</summary>
    public Tensor<T> Grad { get; }

    /// <summary>Wraps <paramref name="value"/>; its gradient starts at zero.</summary>
    public Parameter(Tensor<T> value)
    {
        Value = value;
        Grad = Tensor<T>.Zeros(value.Shape.ToArray());
    }

    /// <summary>Sets the gradient to zero.</summary>
    public void ZeroGrad() => Grad.Span.Clear();
}

using NormCourse.Tensors;

namespace NormCourse.Layers;

/// <summary>
/// A layer with an explicit forward and backward pass, as in CS231n's <c>layers.py</c>:
/// <see cref="Forward"/> computes the output and caches what the backward pass needs;
/// <see cref="Backward"/> takes ∂loss/∂output, accumulates the parameters' gradients and returns ∂loss/∂input.
/// </summary>
public abstract class Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>True in training mode (the default), false in evaluation mode, as PyTorch's <c>training</c>.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Computes the output for <paramref name="input"/> and caches what <see cref="Backward"/> needs.</summary>
    public abstract Tensor<T> Forward(Tensor<T> input);

    /// <summary>
    /// Given ∂loss/∂output of the last <see cref="Forward"/>, adds the parameters' gradients into their
    /// <see cref="Parameter{T}.Grad"/> and returns ∂loss/∂input.
    /// </summary>
    public abstract Tensor<T> Backward(Tensor<T> gradOutput);

    /// <summary>
    /// The backward pass when the input needs no gradient, as for the data entering a network (in PyTorch the input
    /// tensor does not require grad, so autograd never computes it): adds the parameters' gradients only.
    /// Layers whose ∂loss/∂input is a cost of its own (<see cref="Linear{T}"/>, <see cref="Conv2d{T}"/>) skip it;
    /// the rest run <see cref="Backward"/> and drop the result.
    /// </summary>
    public virtual void BackwardToParameters(Tensor<T> gradOutput) => Backward(gradOutput);

    /// <summary>Sets training mode (true) or evaluation mode (false), here and in every child module.</summary>
    public virtual void Train(bool mode = true) => IsTraining = mode;

    /// <summary>Sets evaluation mode, as <c>Train(false)</c>.</summary>
    public void Eval() => Train(false);

    /// <summary>The learnable parameters with their names (<c>weight</c>, <c>bias</c>, <c>0.weight</c> in a <see cref="Sequential{T}"/>).</summary>
    public virtual IEnumerable<(string Name, Parameter<T> Parameter)> NamedParameters() => [];

    /// <summary>State that is not learned but saved with the model (running statistics), with names.</summary>
    public virtual IEnumerable<(string Name, Tensor<T> Buffer)> NamedBuffers() => [];

    /// <summary>The learnable parameters.</summary>
    public IEnumerable<Parameter<T>> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>A short description, e.g. <c>BatchNorm1d(100, eps=1e-05, momentum=0.1)</c>.</summary>
    public override string ToString() => GetType().Name.Split('`')[0];

    /// <summary>Throws when <see cref="Backward"/> is called before <see cref="Forward"/>.</summary>
    protected static TCache RequireCache<TCache>(TCache? cache, string layer) where TCache : class =>
        cache ?? throw new InvalidOperationException($"{layer}.Backward was called before Forward.");
}

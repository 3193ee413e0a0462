using NormCourse.Layers;

namespace NormCourse.Benchmarks.Workloads;

/// <summary>
/// Plain SGD, w ← w − lr·∂L/∂w, then the gradients are zeroed; the parameter list is taken once, so a step
/// enumerates nothing and allocates nothing.
/// </summary>
public sealed class Sgd(Module<float> model, float learningRate)
{
    private readonly Parameter<float>[] _parameters = [.. model.Parameters()];

    /// <summary>Applies one update and clears the gradients.</summary>
    public void Step()
    {
        foreach (var p in _parameters)
        {
            TensorPrimitives.MultiplyAdd(p.Grad.Span, -learningRate, p.Value.Span, p.Value.Span);
            p.ZeroGrad();
        }
    }
}

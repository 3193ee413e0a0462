using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Probes;

/// <summary>
/// A measurement taken during training. The trainer calls the hooks of the probes it is given, and only those:
/// a run without probes does no probe work at all, and a probe does its work only on the steps it records.
/// </summary>
/// <remarks>
/// The order within one update t: <see cref="OnLayerOutput"/> for the network input (layer −1) and each layer's
/// output, forward; <see cref="OnLayerGradient"/> for each layer's output gradient, backward — both only when
/// <see cref="WantsLayerTensors"/>(t) is true; then <see cref="BeforeUpdate"/>, the optimizer step,
/// <see cref="AfterUpdate"/>. The tensors passed to the layer hooks are the layers' own buffers: read them
/// during the call, do not keep them.
/// </remarks>
public abstract class TrainingProbe
{
    /// <summary>Called once before training with the network being trained; layer indices refer to its layers.</summary>
    public virtual void Attach(Sequential<float> model) { }

    /// <summary>True when this probe needs the per-layer hooks at update <paramref name="step"/>.</summary>
    public virtual bool WantsLayerTensors(int step) => false;

    /// <summary>The output of layer <paramref name="layer"/> in the training forward pass (−1: the network input).</summary>
    public virtual void OnLayerOutput(int step, int layer, Tensor<float> output) { }

    /// <summary>∂loss/∂(output of layer <paramref name="layer"/>) in the backward pass.</summary>
    public virtual void OnLayerGradient(int step, int layer, Tensor<float> gradient) { }

    /// <summary>After the backward pass, with every parameter's gradient in place, before the optimizer step.</summary>
    public virtual void BeforeUpdate(ProbeContext context) { }

    /// <summary>After the optimizer step.</summary>
    public virtual void AfterUpdate(ProbeContext context) { }

    /// <summary>True when <paramref name="step"/> is a multiple of <paramref name="every"/>: the usual "record every N steps".</summary>
    protected static bool IsDue(int step, int every) => step % every == 0;

    /// <summary>Throws unless <paramref name="every"/> is at least 1.</summary>
    protected static int RequireEvery(int every) =>
        every >= 1 ? every : throw new ArgumentOutOfRangeException(nameof(every), every, "A probe's interval must be ≥ 1 step.");
}

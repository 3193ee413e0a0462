using NormCourse.Layers;

namespace NormCourse.Models;

/// <summary>Finds the layers probes measure in a built network, by the layers' types.</summary>
public static class ModelLayers
{
    /// <summary>The activation layers (ReLU, Sigmoid, Tanh) with their kind — for <see cref="Probes.SaturationProbe"/>.</summary>
    public static IReadOnlyDictionary<int, Activation> Activations<T>(Sequential<T> model) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        var result = new Dictionary<int, Activation>();
        for (int i = 0; i < model.Layers.Count; i++)
        {
            switch (model.Layers[i])
            {
                case ReLU<T>: result[i] = Activation.ReLU; break;
                case Sigmoid<T>: result[i] = Activation.Sigmoid; break;
                case Tanh<T>: result[i] = Activation.Tanh; break;
            }
        }
        return result;
    }

    /// <summary>
    /// The layers whose output is an activation's input: index i with layer i + 1 an activation. The percentiles of these
    /// outputs are Ioffe &amp; Szegedy Fig. 1(b, c)'s "input to a sigmoid" (after BN when BN comes first).
    /// </summary>
    public static IReadOnlyList<int> PreActivations<T>(Sequential<T> model) where T : unmanaged, IFloatingPointIeee754<T> =>
        [.. Activations(model).Keys.Where(i => i > 0).Select(i => i - 1).Order()];

    /// <summary>The layers from <c>NormCourse.Normalization</c> (BatchNorm, LayerNorm, …).</summary>
    public static IReadOnlyList<int> Norms<T>(Sequential<T> model) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. Enumerable.Range(0, model.Layers.Count).Where(i => model.Layers[i].GetType().Namespace == "NormCourse.Normalization")];
    }
}

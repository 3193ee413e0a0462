using NormCourse.Tensors;

namespace NormCourse.Layers;

/// <summary>
/// Layers applied in order: <c>Forward</c> runs them first to last, <c>Backward</c> last to first.
/// Parameter names are prefixed by the layer's index, as in PyTorch (<c>0.weight</c>, <c>1.running_mean</c>).
/// </summary>
public sealed class Sequential<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<Module<T>> _layers;

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Module<T>> Layers => _layers;

    /// <summary>Creates a sequence of <paramref name="layers"/>.</summary>
    public Sequential(params IEnumerable<Module<T>> layers) => _layers = [.. layers];

    /// <summary>Appends a layer.</summary>
    public void Add(Module<T> layer) => _layers.Add(layer);

    /// <inheritdoc />
    public override Tensor<T> Forward(Tensor<T> input)
    {
        var x = input;
        foreach (var layer in _layers) x = layer.Forward(x);
        return x;
    }

    /// <inheritdoc />
    public override Tensor<T> Backward(Tensor<T> gradOutput)
    {
        var g = gradOutput;
        for (int i = _layers.Count - 1; i >= 0; i--) g = _layers[i].Backward(g);
        return g;
    }

    /// <summary>Backward through every layer, the first one stopping at its parameters: the network's input needs no gradient.</summary>
    public override void BackwardToParameters(Tensor<T> gradOutput)
    {
        var g = gradOutput;
        for (int i = _layers.Count - 1; i >= 1; i--) g = _layers[i].Backward(g);
        if (_layers.Count > 0) _layers[0].BackwardToParameters(g);
    }

    /// <inheritdoc />
    public override void Train(bool mode = true)
    {
        base.Train(mode);
        foreach (var layer in _layers) layer.Train(mode);
    }

    /// <inheritdoc />
    public override IEnumerable<(string Name, Parameter<T> Parameter)> NamedParameters() =>
        _layers.SelectMany((layer, i) => layer.NamedParameters().Select(p => ($"{i}.{p.Name}", p.Parameter)));

    /// <inheritdoc />
    public override IEnumerable<(string Name, Tensor<T> Buffer)> NamedBuffers() =>
        _layers.SelectMany((layer, i) => layer.NamedBuffers().Select(b => ($"{i}.{b.Name}", b.Buffer)));

    /// <inheritdoc />
    public override string ToString() =>
        "Sequential(\n" + string.Join("\n", _layers.Select((l, i) => $"  ({i}): {l}")) + "\n)";
}

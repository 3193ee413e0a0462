using NormCourse.Layers;

namespace NormCourse.Probes;

/// <summary>
/// γ and β of the normalization layers over training: a copy of the chosen parameters every <see cref="Every"/>
/// updates. By default every parameter of every layer from <c>NormCourse.Normalization</c>.
/// </summary>
public sealed class NormParameterProbe : TrainingProbe
{
    private readonly List<ParameterSnapshot> _records = [];
    private readonly IReadOnlyList<string>? _requested;
    private (string Name, Parameter<float> Parameter)[] _parameters = [];

    /// <summary>Updates between snapshots.</summary>
    public int Every { get; }

    /// <summary>The snapshots, one per parameter per measured step.</summary>
    public IReadOnlyList<ParameterSnapshot> Records => _records;

    /// <summary>The names of the parameters followed (known after <see cref="Attach"/>).</summary>
    public IEnumerable<string> ParameterNames => _parameters.Select(p => p.Name);

    /// <summary>Follows the named parameters, or all normalization-layer parameters when <paramref name="parameters"/> is null.</summary>
    public NormParameterProbe(int every = 1, IReadOnlyList<string>? parameters = null)
    {
        Every = RequireEvery(every);
        _requested = parameters;
    }

    /// <inheritdoc />
    public override void Attach(Sequential<float> model)
    {
        var all = model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        if (_requested is null)
        {
            _parameters = [.. model.Layers
                .Select((layer, i) => (layer, i))
                .Where(x => x.layer.GetType().Namespace == "NormCourse.Normalization")
                .SelectMany(x => x.layer.NamedParameters().Select(p => ($"{x.i}.{p.Name}", p.Parameter)))];
            return;
        }
        _parameters = [.. _requested.Select(name => all.TryGetValue(name, out var p)
            ? (name, p)
            : throw new ArgumentException($"The model has no parameter '{name}'; it has: {string.Join(", ", all.Keys)}."))];
    }

    /// <inheritdoc />
    public override void BeforeUpdate(ProbeContext context)
    {
        if (!IsDue(context.Step, Every)) return;
        foreach (var (name, p) in _parameters) _records.Add(new ParameterSnapshot(context.Step, name, p.Value.Span.ToArray()));
    }
}

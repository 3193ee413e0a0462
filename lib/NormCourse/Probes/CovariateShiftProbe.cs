using NormCourse.Layers;

namespace NormCourse.Probes;

/// <summary>
/// Measures internal covariate shift as Santurkar et al. 2018 define it: at the chosen updates, for each layer with
/// parameters, the change in that layer's gradient caused by the simultaneous update of all the layers before it,
/// G′ = ∇_{Wᵢ} L(W′₁, …, W′ᵢ₋₁, Wᵢ, …, Wₖ) on the same minibatch, against G = ∇_{Wᵢ} L(W₁, …, Wₖ).
/// Costs one extra forward and backward pass per layer on those steps; the run's numbers are unchanged.
/// </summary>
public sealed class CovariateShiftProbe : TrainingProbe
{
    private readonly List<CovariateShiftRecord> _records = [];
    private readonly HashSet<int> _steps;
    private (int Layer, Parameter<float>[] Parameters)[] _layers = [];
    private float[][][] _before = [];
    private float[][][] _gradients = [];

    /// <summary>The updates at which the shift is measured.</summary>
    public IReadOnlyCollection<int> Steps => _steps;

    /// <summary>The measurements, one per layer with parameters per measured step.</summary>
    public IReadOnlyList<CovariateShiftRecord> Records => _records;

    /// <summary>Measures at <paramref name="steps"/>.</summary>
    public CovariateShiftProbe(IEnumerable<int> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        _steps = [.. steps];
    }

    /// <inheritdoc />
    public override void Attach(Sequential<float> model) =>
        _layers = [.. model.Layers.Select((layer, i) => (i, layer.Parameters().ToArray())).Where(l => l.Item2.Length > 0)];

    /// <inheritdoc />
    public override void BeforeUpdate(ProbeContext context)
    {
        if (!_steps.Contains(context.Step)) return;
        _before = [.. _layers.Select(l => l.Parameters.Select(p => p.Value.Span.ToArray()).ToArray())];
        _gradients = [.. _layers.Select(l => l.Parameters.Select(p => p.Grad.Span.ToArray()).ToArray())];
    }

    /// <inheritdoc />
    public override void AfterUpdate(ProbeContext context)
    {
        if (!_steps.Contains(context.Step)) return;
        var after = _layers.Select(l => l.Parameters.Select(p => p.Value.Span.ToArray()).ToArray()).ToArray();
        for (int k = 0; k < _layers.Length; k++)
        {
            // Layers before k updated, layer k and after as they were.
            for (int m = 0; m < _layers.Length; m++)
                for (int j = 0; j < _layers[m].Parameters.Length; j++)
                    (m < k ? after : _before)[m][j].CopyTo(_layers[m].Parameters[j].Value.Span);
            context.Reevaluate();
            double dot = 0, gg = 0, hh = 0, diff = 0;
            for (int j = 0; j < _layers[k].Parameters.Length; j++)
            {
                var g = _gradients[k][j];
                var h = _layers[k].Parameters[j].Grad.Span;
                for (int i = 0; i < g.Length; i++)
                {
                    dot += (double)g[i] * h[i];
                    gg += (double)g[i] * g[i];
                    hh += (double)h[i] * h[i];
                    diff += ((double)g[i] - h[i]) * ((double)g[i] - h[i]);
                }
            }
            _records.Add(new CovariateShiftRecord(context.Step, _layers[k].Layer, Math.Sqrt(diff), dot / Math.Sqrt(gg * hh)));
        }
        // Leave every parameter at its updated value, as the optimizer did, and the gradients as they were.
        for (int m = 0; m < _layers.Length; m++)
            for (int j = 0; j < _layers[m].Parameters.Length; j++)
            {
                after[m][j].CopyTo(_layers[m].Parameters[j].Value.Span);
                _gradients[m][j].CopyTo(_layers[m].Parameters[j].Grad.Span);
            }
    }
}

using NormCourse.Layers;

namespace NormCourse.Probes;

/// <summary>
/// At chosen updates, moves the parameters along the minibatch gradient by each step size η, re-evaluates the loss
/// and gradient on the same minibatch, and puts everything back — Santurkar et al. 2018 §3's loss variation,
/// gradient predictiveness and effective β-smoothness. Costs one forward and backward pass per η on those steps only.
/// </summary>
public sealed class LandscapeProbe : TrainingProbe
{
    private readonly List<LandscapeRecord> _records = [];
    private readonly HashSet<int> _steps;
    private Parameter<float>[] _parameters = [];

    /// <summary>The step sizes η.</summary>
    public IReadOnlyList<double> StepSizes { get; }

    /// <summary>The updates at which the landscape is measured.</summary>
    public IReadOnlyCollection<int> Steps => _steps;

    /// <summary>The measurements, in step order.</summary>
    public IReadOnlyList<LandscapeRecord> Records => _records;

    /// <summary>Measures at <paramref name="steps"/> with the step sizes <paramref name="stepSizes"/> (each &gt; 0).</summary>
    public LandscapeProbe(IEnumerable<int> steps, IReadOnlyList<double> stepSizes)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(stepSizes);
        if (stepSizes.Count == 0) throw new ArgumentException("Give at least one step size.", nameof(stepSizes));
        foreach (double eta in stepSizes)
            if (!(eta > 0 && double.IsFinite(eta))) throw new ArgumentOutOfRangeException(nameof(stepSizes), eta, "Step sizes must be finite and > 0.");
        _steps = [.. steps];
        StepSizes = [.. stepSizes];
    }

    /// <inheritdoc />
    public override void Attach(Sequential<float> model) => _parameters = [.. model.Parameters()];

    /// <inheritdoc />
    public override void BeforeUpdate(ProbeContext context)
    {
        if (!_steps.Contains(context.Step)) return;
        var theta0 = _parameters.Select(p => p.Value.Span.ToArray()).ToArray();
        var g0 = _parameters.Select(p => p.Grad.Span.ToArray()).ToArray();
        double gradNorm = Math.Sqrt(g0.Sum(g => Math.Pow(Moments.Norm(g), 2)));
        var losses = new double[StepSizes.Count];
        var changes = new double[StepSizes.Count];
        for (int k = 0; k < StepSizes.Count; k++)
        {
            float eta = (float)StepSizes[k];
            for (int i = 0; i < _parameters.Length; i++)
                TensorPrimitives.MultiplyAdd(g0[i], -eta, theta0[i], _parameters[i].Value.Span); // θ0 − ηg
            losses[k] = context.Reevaluate();
            double ss = 0;
            for (int i = 0; i < _parameters.Length; i++)
            {
                var g = _parameters[i].Grad.Span;
                for (int j = 0; j < g.Length; j++) ss += Math.Pow((double)g[j] - g0[i][j], 2);
            }
            changes[k] = Math.Sqrt(ss);
        }
        // Put the parameters and gradients back, so the update goes on as if nothing had been measured.
        for (int i = 0; i < _parameters.Length; i++)
        {
            theta0[i].CopyTo(_parameters[i].Value.Span);
            g0[i].CopyTo(_parameters[i].Grad.Span);
        }
        _records.Add(new LandscapeRecord(context.Step, context.Loss, gradNorm, [.. StepSizes], losses, changes));
    }
}

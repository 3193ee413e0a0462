using NormCourse.Layers;

namespace NormCourse.Probes;

/// <summary>
/// Every parameter's gradient norm, gradient and value spread, and update-to-data ratio every
/// <see cref="Every"/> updates. The values are copied before the step only on the steps measured.
/// </summary>
public sealed class GradientProbe : TrainingProbe
{
    private readonly List<GradientRecord> _records = [];
    private (string Name, Parameter<float> Parameter)[] _parameters = [];
    private float[][] _before = [];
    private (double GradNorm, double GradStd, double DataStd)[] _pending = [];

    /// <summary>Updates between measurements.</summary>
    public int Every { get; }

    /// <summary>The measurements, one per parameter per measured step.</summary>
    public IReadOnlyList<GradientRecord> Records => _records;

    /// <summary>Measures every parameter every <paramref name="every"/> updates.</summary>
    public GradientProbe(int every = 1) => Every = RequireEvery(every);

    /// <inheritdoc />
    public override void Attach(Sequential<float> model)
    {
        _parameters = [.. model.NamedParameters()];
        _before = [.. _parameters.Select(p => new float[p.Parameter.Value.Length])];
        _pending = new (double, double, double)[_parameters.Length];
    }

    /// <inheritdoc />
    public override void BeforeUpdate(ProbeContext context)
    {
        if (!IsDue(context.Step, Every)) return;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i].Parameter;
            p.Value.Span.CopyTo(_before[i]);
            _pending[i] = (Moments.Norm(p.Grad.Span), Moments.Std(p.Grad.Span), Moments.Std(p.Value.Span));
        }
    }

    /// <inheritdoc />
    public override void AfterUpdate(ProbeContext context)
    {
        if (!IsDue(context.Step, Every)) return;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var after = _parameters[i].Parameter.Value.Span;
            var delta = new float[after.Length];
            TensorPrimitives.Subtract(after, _before[i], delta);
            var (gradNorm, gradStd, dataStd) = _pending[i];
            _records.Add(new GradientRecord(context.Step, _parameters[i].Name, gradNorm, gradStd, dataStd, Moments.Std(delta) / dataStd));
        }
    }
}

namespace NormCourse.Experiments;

/// <summary>
/// A grid over configuration fields: start from a base configuration (a record), add axes with <see cref="Over"/>,
/// then <see cref="Run"/> every combination. Each axis says how to set its value on a configuration, usually a
/// <c>with</c> expression: <c>.Over("LearningRate", [0.1, 1.0], (c, lr) =&gt; c with { LearningRate = lr })</c>.
/// </summary>
public sealed class Sweep<TConfig>
{
    private readonly TConfig _baseConfig;
    private readonly List<(string Name, int Count, Func<TConfig, int, (TConfig Config, SweepValue Value)> Apply)> _axes = [];

    /// <summary>Starts a sweep from <paramref name="baseConfig"/>, which every point modifies.</summary>
    public Sweep(TConfig baseConfig) => _baseConfig = baseConfig;

    /// <summary>The axis names, in order.</summary>
    public IEnumerable<string> AxisNames => _axes.Select(a => a.Name);

    /// <summary>Adds an axis: the field called <paramref name="name"/> takes each of <paramref name="values"/>, set by <paramref name="apply"/>.</summary>
    /// <exception cref="ArgumentException">No values, or the name is empty or already used.</exception>
    public Sweep<TConfig> Over<TValue>(string name, IEnumerable<TValue> values, Func<TConfig, TValue, TConfig> apply)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(apply);
        if (_axes.Any(a => a.Name == name)) throw new ArgumentException($"The sweep already has an axis named '{name}'.", nameof(name));
        TValue[] list = [.. values];
        if (list.Length == 0) throw new ArgumentException($"The axis '{name}' has no values.", nameof(values));
        _axes.Add((name, list.Length, (config, i) => (apply(config, list[i]), SweepValue.Of(name, list[i]))));
        return this;
    }

    /// <summary>Every combination of the axes' values, the first axis varying slowest (a single point without axes).</summary>
    public IReadOnlyList<SweepPoint<TConfig>> Points()
    {
        int total = _axes.Aggregate(1, (n, a) => checked(n * a.Count));
        var points = new SweepPoint<TConfig>[total];
        for (int index = 0; index < total; index++)
        {
            // The index in mixed radix, the last axis the fastest digit.
            var digits = new int[_axes.Count];
            int rest = index;
            for (int a = _axes.Count - 1; a >= 0; a--) rest = Math.DivRem(rest, _axes[a].Count, out digits[a]);
            var config = _baseConfig;
            var values = new SweepValue[_axes.Count];
            for (int a = 0; a < _axes.Count; a++) (config, values[a]) = _axes[a].Apply(config, digits[a]);
            points[index] = new SweepPoint<TConfig>(index, config, values);
        }
        return points;
    }

    /// <summary>
    /// Runs every point with <paramref name="run"/>, up to <paramref name="maxParallelism"/> at a time (default: one per
    /// core), and returns the results in grid order. <paramref name="run"/> must build everything it uses from the
    /// configuration (its own model, its own seeded randomness), so a run's numbers do not depend on what runs beside it:
    /// then the parallel results equal the serial ones. Cancelling passes the token to every run, which should return
    /// its partial history.
    /// </summary>
    public SweepResults Run(Func<TConfig, CancellationToken, Training.TrainingHistory> run, int? maxParallelism = null,
        IProgress<int>? completed = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        int parallelism = maxParallelism ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1, nameof(maxParallelism));
        var points = Points();
        var runs = new SweepRun[points.Count];
        int done = 0;
        Parallel.For(0, points.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, i =>
        {
            runs[i] = new SweepRun(i, points[i].Values, run(points[i].Config, cancellationToken));
            completed?.Report(Interlocked.Increment(ref done));
        });
        return new SweepResults([.. AxisNames], runs);
    }
}

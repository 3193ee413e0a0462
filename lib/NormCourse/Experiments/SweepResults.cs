using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Analysis;
using NormCourse.Training;

namespace NormCourse.Experiments;

/// <summary>
/// A sweep's finished runs in grid order: the axis values and full history of each, as a results table
/// (<see cref="ToDataFrame"/>, one row per run with its final and best metrics) and as files an instructor can ship:
/// JSON keeps everything (<see cref="SaveJson"/> / <see cref="LoadJson"/>), CSV keeps the table (<see cref="SaveCsv"/> /
/// <see cref="LoadCsv"/>).
/// </summary>
public sealed class SweepResults
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The axis names, in order: the first columns of the table.</summary>
    public IReadOnlyList<string> AxisNames { get; }

    /// <summary>The runs, in grid order.</summary>
    public IReadOnlyList<SweepRun> Runs { get; }

    /// <summary>Collects <paramref name="runs"/> of a sweep over <paramref name="axisNames"/>.</summary>
    /// <exception cref="ArgumentException">A run's values do not name the axes in order.</exception>
    public SweepResults(IReadOnlyList<string> axisNames, IReadOnlyList<SweepRun> runs)
    {
        ArgumentNullException.ThrowIfNull(axisNames);
        ArgumentNullException.ThrowIfNull(runs);
        foreach (var run in runs)
            if (!run.Values.Select(v => v.Name).SequenceEqual(axisNames))
                throw new ArgumentException($"Run {run.Index} has values for ({string.Join(", ", run.Values.Select(v => v.Name))}), " +
                    $"not for the axes ({string.Join(", ", axisNames)}).", nameof(runs));
        AxisNames = [.. axisNames];
        Runs = [.. runs];
    }

    /// <summary>The names of the metric columns that follow the axis columns in <see cref="ToDataFrame"/>.</summary>
    public static IReadOnlyList<string> MetricColumns { get; } =
        ["Outcome", "Diverged", "DivergedAtStep", "Steps", "FinalTrainLoss", "FinalTestLoss", "FinalTestAccuracy", "BestTestAccuracy"];

    /// <summary>
    /// The results table: one row per run; first a column per axis (double, bool or string), then
    /// <see cref="MetricColumns"/>: how the run ended, whether and where it diverged, updates made, the last minibatch
    /// loss, the last held-out loss and accuracy, and the best held-out accuracy.
    /// </summary>
    public DataFrame ToDataFrame()
    {
        var columns = new List<DataFrameColumn>();
        for (int a = 0; a < AxisNames.Count; a++) columns.Add(AxisColumn(AxisNames[a], [.. Runs.Select(r => r.Values[a].Value)]));
        var histories = Runs.Select(r => r.History).ToArray();
        columns.Add(new StringDataFrameColumn("Outcome", histories.Select(h => h.Outcome.ToString())));
        columns.Add(new BooleanDataFrameColumn("Diverged", histories.Select(h => h.Diverged)));
        columns.Add(new Int32DataFrameColumn("DivergedAtStep", histories.Select(h => h.DivergedAtStep)));
        columns.Add(new Int32DataFrameColumn("Steps", histories.Select(h => h.Steps.Count)));
        columns.Add(new DoubleDataFrameColumn("FinalTrainLoss", histories.Select(h => h.FinalTrainLoss)));
        columns.Add(new DoubleDataFrameColumn("FinalTestLoss", histories.Select(h => h.FinalTestLoss)));
        columns.Add(new DoubleDataFrameColumn("FinalTestAccuracy", histories.Select(h => h.FinalTestAccuracy)));
        columns.Add(new DoubleDataFrameColumn("BestTestAccuracy", histories.Select(h => h.BestTestAccuracy)));
        return new DataFrame(columns);
    }

    /// <summary>
    /// Every evaluation of every run in long format: the axis columns, then <c>Step</c>, <c>TestLoss</c> and
    /// <c>TestAccuracy</c> — one row per (run, evaluation), ready for grouping and plotting.
    /// </summary>
    public DataFrame ToEvaluationsDataFrame() => LongFormat(r => r.History.Evaluations.Select(e => (e.Step, e.Loss, e.Accuracy)), "TestLoss", "TestAccuracy");

    /// <summary>
    /// Every update of every run in long format: the axis columns, then <c>Step</c>, <c>TrainLoss</c> and
    /// <c>TrainAccuracy</c> (the minibatch's) — one row per (run, update).
    /// </summary>
    public DataFrame ToStepsDataFrame() => LongFormat(r => r.History.Steps.Select(s => (s.Step, s.Loss, s.Accuracy)), "TrainLoss", "TrainAccuracy");

    private DataFrame LongFormat(Func<SweepRun, IEnumerable<(int Step, double Loss, double Accuracy)>> rows, string lossName, string accuracyName)
    {
        var expanded = Runs.SelectMany(r => rows(r).Select(row => (Run: r, Row: row))).ToArray();
        var columns = new List<DataFrameColumn>();
        for (int a = 0; a < AxisNames.Count; a++)
        {
            var values = expanded.Select(x => x.Run.Values[a].Value).ToArray();
            columns.Add(AxisColumn(AxisNames[a], values));
        }
        columns.Add(new Int32DataFrameColumn("Step", expanded.Select(x => x.Row.Step)));
        columns.Add(new DoubleDataFrameColumn(lossName, expanded.Select(x => x.Row.Loss)));
        columns.Add(new DoubleDataFrameColumn(accuracyName, expanded.Select(x => x.Row.Accuracy)));
        return new DataFrame(columns);
    }

    // Numbers stay numbers and booleans booleans, so the table sorts and filters by value.
    private static DataFrameColumn AxisColumn(string name, object[] values) =>
        values.Length > 0 && values.All(v => v is double) ? new DoubleDataFrameColumn(name, values.Cast<double>())
        : values.Length > 0 && values.All(v => v is bool) ? new BooleanDataFrameColumn(name, values.Cast<bool>())
        : new StringDataFrameColumn(name, values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));

    /// <summary>Writes the results table (<see cref="ToDataFrame"/>) as CSV with invariant culture, atomically.</summary>
    public void SaveCsv(string path) =>
        AtomicFile.Write(path, stream => DataFrame.SaveCsv(ToDataFrame(), stream, cultureInfo: CultureInfo.InvariantCulture));

    /// <summary>
    /// Reads a results table written by <see cref="SaveCsv"/> (or any CSV with a header). A column whose values all read
    /// as booleans becomes bool, one whose values all read as numbers (empty cells allowed, as missing) becomes double,
    /// any other becomes string.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static DataFrame LoadCsv(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No results table at '{path}'.", path);
        using var stream = File.OpenRead(path);
        return DataFrame.LoadCsv(stream, guessRows: int.MaxValue, cultureInfo: CultureInfo.InvariantCulture, guessTypeFunction: GuessType);
    }

    private static Type GuessType(IEnumerable<string> cells)
    {
        var present = cells.Where(c => c.Length > 0).ToArray();
        if (present.Length > 0 && present.All(c => bool.TryParse(c, out _))) return typeof(bool);
        if (present.All(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _))) return typeof(double);
        return typeof(string);
    }

    /// <summary>Writes everything — axes, values and every run's full history — as JSON, atomically.</summary>
    public void SaveJson(string path)
    {
        var dto = new SweepFile(AxisNames, [.. Runs.Select(r => new SweepFileRun(r.Index, r.Values.ToDictionary(v => v.Name, v => v.Value), r.History))]);
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, dto, JsonOptions));
    }

    /// <summary>Reads results written by <see cref="SaveJson"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a saved sweep.</exception>
    public static SweepResults LoadJson(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No saved sweep at '{path}'.", path);
        SweepFileIn? file;
        try
        {
            using var stream = File.OpenRead(path);
            file = JsonSerializer.Deserialize<SweepFileIn>(stream, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a saved sweep: {e.Message}", e);
        }
        if (file?.Axes is null || file.Runs is null) throw new InvalidDataException($"'{path}' is not a saved sweep: it has no axes or runs.");
        var runs = file.Runs.Select(r => new SweepRun(r.Index,
            [.. file.Axes.Select(a => r.Values.TryGetValue(a, out var e) ? new SweepValue(a, FromJson(e))
                : throw new InvalidDataException($"'{path}': run {r.Index} has no value for axis '{a}'."))],
            r.History)).ToArray();
        return new SweepResults(file.Axes, runs);
    }

    private static object FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when e.GetString() is "NaN" or "Infinity" or "-Infinity" => double.Parse(e.GetString()!, CultureInfo.InvariantCulture),
        _ => e.ToString(),
    };

    private sealed record SweepFile(IReadOnlyList<string> Axes, IReadOnlyList<SweepFileRun> Runs);

    private sealed record SweepFileRun(int Index, Dictionary<string, object> Values, TrainingHistory History);

    private sealed record SweepFileIn(IReadOnlyList<string> Axes, IReadOnlyList<SweepFileRunIn> Runs);

    private sealed record SweepFileRunIn(int Index, Dictionary<string, JsonElement> Values, TrainingHistory History);
}

using System.Text.Json.Serialization;

namespace NormCourse.Training;

/// <summary>
/// Everything a training run recorded: every update (<see cref="Steps"/>), every held-out evaluation
/// (<see cref="Evaluations"/>) and how it ended. A diverged run keeps its history up to the bad step.
/// </summary>
public sealed class TrainingHistory
{
    private readonly List<StepRecord> _steps;
    private readonly List<EvalRecord> _evaluations;

    /// <summary>Every update, in order.</summary>
    public IReadOnlyList<StepRecord> Steps => _steps;

    /// <summary>Every evaluation on the held-out set, in order.</summary>
    public IReadOnlyList<EvalRecord> Evaluations => _evaluations;

    /// <summary>How the run ended.</summary>
    public TrainingOutcome Outcome { get; private set; }

    /// <summary>The update whose loss was NaN or infinite, when <see cref="Outcome"/> is <see cref="TrainingOutcome.Diverged"/>.</summary>
    public int? DivergedAtStep { get; private set; }

    /// <summary>An empty history of a run that has not started.</summary>
    public TrainingHistory() : this([], [], TrainingOutcome.Completed, null) { }

    /// <summary>A history with the given records (used when loading saved results).</summary>
    [JsonConstructor]
    public TrainingHistory(IReadOnlyList<StepRecord> steps, IReadOnlyList<EvalRecord> evaluations, TrainingOutcome outcome, int? divergedAtStep)
    {
        _steps = [.. steps];
        _evaluations = [.. evaluations];
        Outcome = outcome;
        DivergedAtStep = divergedAtStep;
    }

    /// <summary>True when the loss became NaN or infinite.</summary>
    [JsonIgnore]
    public bool Diverged => Outcome == TrainingOutcome.Diverged;

    /// <summary>The last minibatch loss (NaN for an empty history).</summary>
    [JsonIgnore]
    public double FinalTrainLoss => _steps.Count == 0 ? double.NaN : _steps[^1].Loss;

    /// <summary>The last held-out accuracy (NaN when there was no evaluation).</summary>
    [JsonIgnore]
    public double FinalTestAccuracy => _evaluations.Count == 0 ? double.NaN : _evaluations[^1].Accuracy;

    /// <summary>The last held-out loss (NaN when there was no evaluation).</summary>
    [JsonIgnore]
    public double FinalTestLoss => _evaluations.Count == 0 ? double.NaN : _evaluations[^1].Loss;

    /// <summary>The best held-out accuracy (NaN when there was no evaluation).</summary>
    [JsonIgnore]
    public double BestTestAccuracy => _evaluations.Count == 0 ? double.NaN : _evaluations.Max(e => e.Accuracy);

    /// <summary>
    /// True when both histories hold the same numbers: every step's loss, accuracy and rate, every evaluation,
    /// and the outcome, compared bit for bit. Elapsed times are ignored, since they differ between identical runs.
    /// </summary>
    public bool SameNumbers(TrainingHistory other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Outcome == other.Outcome && DivergedAtStep == other.DivergedAtStep
            && _steps.Select(s => s with { ElapsedSeconds = 0 }).SequenceEqual(other._steps.Select(s => s with { ElapsedSeconds = 0 }))
            && _evaluations.Select(e => e with { ElapsedSeconds = 0 }).SequenceEqual(other._evaluations.Select(e => e with { ElapsedSeconds = 0 }));
    }

    internal void Add(StepRecord step) => _steps.Add(step);

    internal void Add(EvalRecord evaluation) => _evaluations.Add(evaluation);

    internal void MarkDiverged(int step)
    {
        Outcome = TrainingOutcome.Diverged;
        DivergedAtStep = step;
    }

    internal void MarkCancelled() => Outcome = TrainingOutcome.Cancelled;
}

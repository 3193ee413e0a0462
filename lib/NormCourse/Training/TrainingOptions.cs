namespace NormCourse.Training;

/// <summary>
/// How long and how to train: a number of updates or of epochs (exactly one), the minibatch size, the seed of the
/// minibatch order, how often to evaluate, and the learning-rate schedule applied to the optimizer's base rate.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>The number of updates (set this or <see cref="Epochs"/>).</summary>
    public int? Steps { get; init; }

    /// <summary>The number of passes over the training set (set this or <see cref="Steps"/>).</summary>
    public int? Epochs { get; init; }

    /// <summary>Examples per minibatch (Ioffe &amp; Szegedy §4.1 use 60).</summary>
    public int BatchSize { get; init; } = 60;

    /// <summary>Seeds the minibatch order (and, in an experiment, the model's initialisation).</summary>
    public int Seed { get; init; }

    /// <summary>Evaluate on the held-out set before training and after every this many updates, and at the end; 0: only at the end.</summary>
    public int EvalEvery { get; init; } = 100;

    /// <summary>Examples per forward pass during evaluation (memory only; the results do not depend on it in eval mode).</summary>
    public int EvalBatchSize { get; init; } = 1000;

    /// <summary>Drop an epoch's last, smaller minibatch (a batch of one breaks BatchNorm's training statistics).</summary>
    public bool DropLast { get; init; } = true;

    /// <summary>The learning-rate schedule, a multiplier of the optimizer's rate at the start of training.</summary>
    public LearningRateSchedule Schedule { get; init; } = new ConstantSchedule();

    /// <summary>When set, the clipping bounds of every Batch Renorm layer follow this schedule.</summary>
    public RenormSchedule? Renorm { get; init; }

    /// <summary>Report progress every this many updates (the last update is always reported).</summary>
    public int ProgressEvery { get; init; } = 10;

    /// <summary>Throws when the options are inconsistent, naming the field.</summary>
    public void Validate()
    {
        if (Steps is null == Epochs is null)
            throw new ArgumentException($"Set exactly one of Steps and Epochs (got Steps={Steps?.ToString() ?? "null"}, Epochs={Epochs?.ToString() ?? "null"}).");
        if (Steps is < 0) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Steps must be ≥ 0.");
        if (Epochs is < 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be ≥ 0.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be ≥ 1.");
        if (EvalEvery < 0) throw new ArgumentOutOfRangeException(nameof(EvalEvery), EvalEvery, "EvalEvery must be ≥ 0.");
        if (EvalBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(EvalBatchSize), EvalBatchSize, "EvalBatchSize must be ≥ 1.");
        if (ProgressEvery < 1) throw new ArgumentOutOfRangeException(nameof(ProgressEvery), ProgressEvery, "ProgressEvery must be ≥ 1.");
        ArgumentNullException.ThrowIfNull(Schedule);
    }
}

using NormCourse.Data;
using NormCourse.Probes;
using NormCourse.Training;

namespace NormCourse.Experiments;

/// <summary>Runs an <see cref="ExperimentConfig"/>: builds the model and optimizer from it and trains. The function a sweep runs.</summary>
public static class Experiment
{
    /// <summary>Builds and trains; <paramref name="probes"/> and <paramref name="progress"/> are passed to the <see cref="Trainer"/>.</summary>
    public static TrainingHistory Run(ExperimentConfig config, DatasetSplit data, CancellationToken cancellationToken = default,
        IReadOnlyList<TrainingProbe>? probes = null, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var model = config.Model.Build<float>(config.Training.Seed);
        var optimizer = config.Optimizer.Create(model.Parameters());
        return Trainer.Train(model, optimizer, data, config.Training, probes, progress, cancellationToken: cancellationToken);
    }
}

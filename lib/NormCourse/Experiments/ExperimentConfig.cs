using NormCourse.Models;
using NormCourse.Training;

namespace NormCourse.Experiments;

/// <summary>
/// Everything one training run needs apart from the data: the model, the optimizer and the training options. A record,
/// so a sweep varies it with <c>with</c>. The model is initialised from <see cref="TrainingOptions.Seed"/>, which also
/// seeds the minibatch order.
/// </summary>
/// <param name="Model">The network, e.g. an <see cref="MlpConfig"/> or a <see cref="LeNetConfig"/>.</param>
/// <param name="Optimizer">The optimizer.</param>
/// <param name="Training">Steps or epochs, batch size, seed, evaluation, schedule.</param>
public sealed record ExperimentConfig(ModelConfig Model, OptimizerConfig Optimizer, TrainingOptions Training);

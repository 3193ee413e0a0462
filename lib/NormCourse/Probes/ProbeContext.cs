using NormCourse.Layers;

namespace NormCourse.Probes;

/// <summary>What a probe sees around the optimizer step of one update.</summary>
/// <param name="Step">The update's index, from 0.</param>
/// <param name="Model">The network being trained (in training mode).</param>
/// <param name="LearningRate">The learning rate of this update.</param>
/// <param name="Loss">The minibatch loss at the current parameters.</param>
/// <param name="Reevaluate">
/// Runs forward and backward again on the same minibatch at the parameters' current values: zeroes and refills every
/// gradient and returns the loss. Running statistics and other buffers are restored afterwards, so a probe may move
/// the parameters, call this, and put them back without changing the run.
/// </param>
public sealed record ProbeContext(int Step, Sequential<float> Model, double LearningRate, double Loss, Func<double> Reevaluate);

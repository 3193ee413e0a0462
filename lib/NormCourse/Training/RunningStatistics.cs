using NormCourse.Data;
using NormCourse.Layers;
using NormCourse.Normalization;
using NormCourse.Tensors;

namespace NormCourse.Training;

/// <summary>
/// Re-estimates BatchNorm's running statistics after training, as PyTorch's <c>torch.optim.swa_utils.update_bn</c>:
/// reset them, set momentum to None (a plain cumulative average) and run training-mode forward passes over some data
/// with the weights fixed. Useful when the running averages lag the final weights or the data has shifted.
/// </summary>
public static class RunningStatistics
{
    /// <summary>
    /// Recomputes the running mean and variance of every <see cref="BatchNorm{T}"/> layer of <paramref name="model"/> as the
    /// average, over <paramref name="batches"/> minibatches of <paramref name="batchSize"/> examples drawn from
    /// <paramref name="data"/> with <paramref name="seed"/>, of each batch's mean and unbiased variance. Parameters are
    /// untouched; each layer's momentum and the model's mode are restored afterwards.
    /// </summary>
    /// <returns>The number of BatchNorm layers recalibrated.</returns>
    public static int Recalibrate(Sequential<float> model, LabeledDataset data, int batchSize = 100, int batches = 50, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(batches, 1);
        var layers = model.Layers.OfType<BatchNorm<float>>().Where(l => l.TrackRunningStats).ToArray();
        var momenta = layers.Select(l => l.Momentum).ToArray();
        bool wasTraining = model.IsTraining;
        foreach (var layer in layers)
        {
            layer.RunningMean!.Span.Clear();
            layer.RunningVar!.Span.Fill(1f);
            layer.NumBatchesTracked = 0;
            layer.Momentum = null;
        }
        model.Train();
        try
        {
            var sampler = new MinibatchSampler(data.Count, batchSize, seed, dropLast: true);
            var featureShape = data.Features.Shape[1..].ToArray();
            Tensor<float>? x = null;
            var labels = new int[batchSize];
            int done = 0;
            for (int epoch = 0; done < batches; epoch++)
            {
                foreach (var batch in sampler.Batches(epoch))
                {
                    if (done == batches) break;
                    x = Tensor<float>.Reuse(ref x, [batch.Length, .. featureShape]);
                    data.Gather(batch.Span, x, labels);
                    model.Forward(x);
                    done++;
                }
                if (sampler.BatchesPerEpoch == 0)
                    throw new ArgumentException($"'{data.Name}' has {data.Count} examples, fewer than one batch of {batchSize}.", nameof(data));
            }
        }
        finally
        {
            for (int i = 0; i < layers.Length; i++) layers[i].Momentum = momenta[i];
            model.Train(wasTraining);
        }
        return layers.Length;
    }
}

using System.Diagnostics;
using NormCourse.Data;
using NormCourse.Layers;
using NormCourse.Normalization;
using NormCourse.Probes;
using NormCourse.Tensors;

namespace NormCourse.Training;

/// <summary>
/// The training loop: minibatch → forward → softmax cross-entropy → backward → optimizer step, with the learning rate
/// from a schedule, periodic evaluation on the held-out set (in evaluation mode, then back to training mode), a record
/// of every update and evaluation, optional probes, progress reports and cancellation. A NaN or infinite loss ends the
/// run and is recorded as divergence. Everything random comes from the seeds, so two runs give identical histories.
/// </summary>
public static class Trainer
{
    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="data"/>.Train with <paramref name="optimizer"/>, evaluating on
    /// <paramref name="data"/>.Test. The minibatches come from <paramref name="sampler"/>, by default i.i.d. batches of
    /// <see cref="TrainingOptions.BatchSize"/> seeded by <see cref="TrainingOptions.Seed"/>. Probes are attached to the
    /// model and called around each update; with none, no probe work is done.
    /// </summary>
    /// <returns>The history; on cancellation, what was done so far (outcome <see cref="TrainingOutcome.Cancelled"/>).</returns>
    public static TrainingHistory Train(Sequential<float> model, Optimizer<float> optimizer, DatasetSplit data, TrainingOptions options,
        IReadOnlyList<TrainingProbe>? probes = null, IProgress<TrainingProgress>? progress = null, IBatchSampler? sampler = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var train = data.Train;
        sampler ??= new MinibatchSampler(train.Count, options.BatchSize, options.Seed, options.DropLast);
        if (sampler.Count != train.Count)
            throw new ArgumentException($"The sampler draws from {sampler.Count} examples but the training set has {train.Count}.", nameof(sampler));
        probes ??= [];
        foreach (var probe in probes) probe.Attach(model);
        double baseLearningRate = optimizer.LearningRate;
        try
        {
            return Run(model, optimizer, data, options, probes, progress, sampler, baseLearningRate, cancellationToken);
        }
        finally
        {
            // The schedule moved the rate; give the optimizer back as it came, so a second Train starts from the same base.
            optimizer.LearningRate = baseLearningRate;
        }
    }

    private static TrainingHistory Run(Sequential<float> model, Optimizer<float> optimizer, DatasetSplit data, TrainingOptions options,
        IReadOnlyList<TrainingProbe> probes, IProgress<TrainingProgress>? progress, IBatchSampler sampler, double baseLearningRate,
        CancellationToken cancellationToken)
    {
        var train = data.Train;
        int totalSteps = options.Steps ?? Enumerable.Range(0, options.Epochs!.Value).Sum(e => sampler.Batches(e).Count());
        var history = new TrainingHistory();
        var loss = new SoftmaxCrossEntropy<float>();
        var clock = Stopwatch.StartNew();
        var featureShape = train.Features.Shape[1..].ToArray();
        Tensor<float>? x = null;
        int[] labels = [];
        double? testAccuracy = null;

        model.Train();
        if (options.EvalEvery > 0 && totalSteps > 0) testAccuracy = EvaluateInto(history, model, data.Test, options, 0, clock);

        int step = 0;
        double lastLoss = double.NaN;
        for (int epoch = 0; step < totalSteps; epoch++)
        {
            int batchesThisEpoch = 0;
            foreach (var batch in sampler.Batches(epoch))
            {
                if (step >= totalSteps) break;
                batchesThisEpoch++;
                if (cancellationToken.IsCancellationRequested)
                {
                    history.MarkCancelled();
                    progress?.Report(new TrainingProgress(step, totalSteps, lastLoss, testAccuracy, TrainingOutcome.Cancelled));
                    return history;
                }
                int b = batch.Length;
                x = Tensor<float>.Reuse(ref x, [b, .. featureShape]);
                if (labels.Length != b) labels = new int[b];
                train.Gather(batch.Span, x, labels);

                double learningRate = options.Schedule.LearningRate(baseLearningRate, step);
                optimizer.LearningRate = learningRate;
                bool layerHooks = probes.Any(p => p.WantsLayerTensors(step));
                if (options.Renorm is { } renorm) ApplyRenorm(model, renorm, step);

                optimizer.ZeroGrad();
                var logits = layerHooks ? ForwardWithHooks(model, x, step, probes) : model.Forward(x);
                lastLoss = loss.Forward(logits, labels);
                double accuracy = (double)loss.CountCorrect() / b;
                if (!double.IsFinite(lastLoss))
                {
                    history.Add(new StepRecord(step, lastLoss, accuracy, learningRate, clock.Elapsed.TotalSeconds));
                    history.MarkDiverged(step);
                    progress?.Report(new TrainingProgress(step, totalSteps, lastLoss, testAccuracy, TrainingOutcome.Diverged));
                    return history;
                }
                var gradLogits = loss.Backward();
                if (layerHooks) BackwardWithHooks(model, gradLogits, step, probes);
                else model.BackwardToParameters(gradLogits);

                if (probes.Count > 0)
                {
                    var context = new ProbeContext(step, model, learningRate, lastLoss, () => Reevaluate(model, loss, x, labels));
                    foreach (var probe in probes) probe.BeforeUpdate(context);
                    optimizer.Step();
                    foreach (var probe in probes) probe.AfterUpdate(context);
                }
                else
                {
                    optimizer.Step();
                }
                step++;
                history.Add(new StepRecord(step - 1, lastLoss, accuracy, learningRate, clock.Elapsed.TotalSeconds));

                bool last = step == totalSteps;
                if ((options.EvalEvery > 0 && step % options.EvalEvery == 0) || last)
                    testAccuracy = EvaluateInto(history, model, data.Test, options, step, clock);
                if (step % options.ProgressEvery == 0 || last)
                    progress?.Report(new TrainingProgress(step, totalSteps, lastLoss, testAccuracy, last ? TrainingOutcome.Completed : null));
            }
            if (batchesThisEpoch == 0)
                throw new InvalidOperationException($"Epoch {epoch} has no minibatches: {train.Count} examples in batches of {sampler.BatchSize} with the last dropped.");
        }
        return history;
    }

    /// <summary>
    /// The mean cross-entropy and accuracy of <paramref name="model"/> on <paramref name="data"/> in evaluation mode
    /// (running statistics, no dropout), in batches of <paramref name="batchSize"/>; the model's mode is restored after.
    /// </summary>
    public static (double Loss, double Accuracy) Evaluate(Module<float> model, LabeledDataset data, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (data.Count == 0) throw new ArgumentException($"The dataset '{data.Name}' is empty.", nameof(data));
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            var loss = new SoftmaxCrossEntropy<float>();
            var featureShape = data.Features.Shape[1..].ToArray();
            Tensor<float>? x = null;
            double totalLoss = 0;
            long correct = 0;
            var indices = new int[batchSize];
            var labels = new int[batchSize];
            for (int start = 0; start < data.Count; start += batchSize)
            {
                int b = Math.Min(batchSize, data.Count - start);
                for (int i = 0; i < b; i++) indices[i] = start + i;
                x = Tensor<float>.Reuse(ref x, [b, .. featureShape]);
                data.Gather(indices.AsSpan(0, b), x, labels.AsSpan(0, b));
                totalLoss += loss.Forward(model.Forward(x), labels.AsSpan(0, b)) * b;
                correct += loss.CountCorrect();
            }
            return (totalLoss / data.Count, (double)correct / data.Count);
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    private static double EvaluateInto(TrainingHistory history, Sequential<float> model, LabeledDataset test, TrainingOptions options, int step, Stopwatch clock)
    {
        var (loss, accuracy) = Evaluate(model, test, options.EvalBatchSize);
        history.Add(new EvalRecord(step, loss, accuracy, clock.Elapsed.TotalSeconds));
        return accuracy;
    }

    private static void ApplyRenorm(Sequential<float> model, RenormSchedule schedule, int step)
    {
        foreach (var layer in model.Layers.OfType<BatchRenorm<float>>())
        {
            layer.RMax = schedule.RMax(step);
            layer.DMax = schedule.DMax(step);
        }
    }

    private static Tensor<float> ForwardWithHooks(Sequential<float> model, Tensor<float> input, int step, IReadOnlyList<TrainingProbe> probes)
    {
        foreach (var probe in probes) probe.OnLayerOutput(step, -1, input);
        var h = input;
        for (int i = 0; i < model.Layers.Count; i++)
        {
            h = model.Layers[i].Forward(h);
            foreach (var probe in probes) probe.OnLayerOutput(step, i, h);
        }
        return h;
    }

    private static void BackwardWithHooks(Sequential<float> model, Tensor<float> gradOutput, int step, IReadOnlyList<TrainingProbe> probes)
    {
        var g = gradOutput;
        for (int i = model.Layers.Count - 1; i >= 0; i--)
        {
            foreach (var probe in probes) probe.OnLayerGradient(step, i, g);
            if (i > 0) g = model.Layers[i].Backward(g);
            else model.Layers[0].BackwardToParameters(g);    // the data needs no gradient
        }
    }

    // A probe's extra forward pass must not move the running statistics: they and the batch counters are put back.
    private static double Reevaluate(Sequential<float> model, SoftmaxCrossEntropy<float> loss, Tensor<float> x, int[] labels)
    {
        var buffers = model.NamedBuffers().Select(b => (b.Buffer, Saved: b.Buffer.Span.ToArray())).ToArray();
        var counters = model.Layers.Select(l => l switch
        {
            BatchNorm<float> bn => bn.NumBatchesTracked,
            BatchRenorm<float> brn => brn.NumBatchesTracked,
            _ => 0L,
        }).ToArray();
        model.ZeroGrad();
        double value = loss.Forward(model.Forward(x), labels);
        model.BackwardToParameters(loss.Backward());
        foreach (var (buffer, saved) in buffers) saved.CopyTo(buffer.Span);
        for (int i = 0; i < counters.Length; i++)
        {
            if (model.Layers[i] is BatchNorm<float> bn) bn.NumBatchesTracked = counters[i];
            if (model.Layers[i] is BatchRenorm<float> brn) brn.NumBatchesTracked = counters[i];
        }
        return value;
    }
}

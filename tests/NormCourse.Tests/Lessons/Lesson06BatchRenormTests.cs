using NormCourse.Data;
using NormCourse.Models;
using NormCourse.Tests.Training;
using NormCourse.Training;

namespace NormCourse.Tests.Lessons;

/// <summary>
/// Lesson 06's claims on small settings: with microbatches of 4, Batch Renorm (with the paper's schedule, scaled to
/// the run) reaches higher evaluation-mode test accuracy than BatchNorm — the direction of Ioffe 2017 Fig. 2; and with
/// non-i.i.d. batches (16 examples from 2 classes, the lesson's settings) Batch Renorm and LayerNorm each beat BatchNorm
/// in evaluation mode — the direction of Ioffe 2017 §4.3.
/// </summary>
public class Lesson06BatchRenormTests(MnistFixture mnist) : IClassFixture<MnistFixture>
{
    // Trains 784-h-h-10 (ReLU, SGD 0.05) on the first examples of the training set and returns the evaluation-mode test
    // accuracy; Batch Renorm gets the paper's schedule scaled to the run; twoClassesPerBatch draws batches of two classes.
    private double EvalAccuracy(NormKind kind, int seed, int examples, int hidden, int steps, int batchSize, bool twoClassesPerBatch = false)
    {
        var data = new DatasetSplit(mnist.Data.Train.Subset(Enumerable.Range(0, examples).ToArray()), mnist.Data.Test);
        var net = new MlpConfig([784, hidden, hidden, 10]) { Norm = kind }.Build<float>(seed);
        var options = new TrainingOptions
        {
            Steps = steps, BatchSize = batchSize, Seed = seed, EvalEvery = 0,
            Renorm = kind == NormKind.BatchRenorm ? new RenormSchedule().Scaled(steps / 50_000.0) : null,
        };
        var sampler = twoClassesPerBatch ? new KClassesPerBatchSampler(data.Train.Labels, batchSize, classesPerBatch: 2, seed: seed) : null;
        return Trainer.Train(net, new Sgd<float>(net.Parameters(), 0.05), data, options, sampler: sampler).FinalTestAccuracy;
    }

    // Microbatches of 4: 2,000 digits, 784-32-32-10, 450 steps.
    private double MicrobatchAccuracy(NormKind kind, int seed) => EvalAccuracy(kind, seed, 2000, 32, 450, 4);

    // The lesson's section 4: 3,000 digits, 784-64-64-10, batches of 16 from 2 classes, 1,000 steps.
    private double NonIidEvalAccuracy(NormKind kind, int seed) => EvalAccuracy(kind, seed, 3000, 64, 1000, 16, twoClassesPerBatch: true);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void AtBatchSizeFourBatchRenormBeatsBatchNormInEvalMode(int seed)
    {
        double bn = MicrobatchAccuracy(NormKind.BatchNorm, seed);
        double renorm = MicrobatchAccuracy(NormKind.BatchRenorm, seed);
        Assert.True(renorm > bn + 0.01, $"seed {seed}: Batch Renorm {renorm:P1} vs BN {bn:P1}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void WithTwoClassBatchesBatchRenormAndLayerNormBeatBatchNormInEvalMode(int seed)
    {
        double bn = NonIidEvalAccuracy(NormKind.BatchNorm, seed);
        double renorm = NonIidEvalAccuracy(NormKind.BatchRenorm, seed);
        double layerNorm = NonIidEvalAccuracy(NormKind.LayerNorm, seed);
        Assert.True(renorm > bn + 0.01, $"seed {seed}: Batch Renorm {renorm:P1} vs BN {bn:P1} with 2-class batches");
        Assert.True(layerNorm > bn + 0.01, $"seed {seed}: LayerNorm {layerNorm:P1} vs BN {bn:P1} with 2-class batches");
    }
}

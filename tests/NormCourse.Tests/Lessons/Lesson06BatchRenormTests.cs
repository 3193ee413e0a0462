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
    private const int Steps = 450;

    private double EvalAccuracy(NormKind kind, int seed)
    {
        var data = new DatasetSplit(mnist.Data.Train.Subset(Enumerable.Range(0, 2000).ToArray()), mnist.Data.Test);
        var net = new MlpConfig([784, 32, 32, 10]) { Norm = kind }.Build<float>(seed);
        var options = new TrainingOptions
        {
            Steps = Steps, BatchSize = 4, Seed = seed, EvalEvery = 0,
            Renorm = kind == NormKind.BatchRenorm ? new RenormSchedule().Scaled(Steps / 50_000.0) : null,
        };
        return Trainer.Train(net, new Sgd<float>(net.Parameters(), 0.05), data, options).FinalTestAccuracy;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void AtBatchSizeFourBatchRenormBeatsBatchNormInEvalMode(int seed)
    {
        double bn = EvalAccuracy(NormKind.BatchNorm, seed);
        double renorm = EvalAccuracy(NormKind.BatchRenorm, seed);
        Assert.True(renorm > bn + 0.01, $"seed {seed}: Batch Renorm {renorm:P1} vs BN {bn:P1}");
    }

    private const int NonIidSteps = 1000;

    // The lesson's section 4: 3,000 digits, 784-64-64-10 ReLU, SGD 0.05, batches of 16 from 2 classes.
    private double NonIidEvalAccuracy(NormKind kind, int seed)
    {
        var data = new DatasetSplit(mnist.Data.Train.Subset(Enumerable.Range(0, 3000).ToArray()), mnist.Data.Test);
        var net = new MlpConfig([784, 64, 64, 10]) { Norm = kind }.Build<float>(seed);
        var options = new TrainingOptions
        {
            Steps = NonIidSteps, BatchSize = 16, Seed = seed, EvalEvery = 0,
            Renorm = kind == NormKind.BatchRenorm ? new RenormSchedule().Scaled(NonIidSteps / 50_000.0) : null,
        };
        var sampler = new KClassesPerBatchSampler(data.Train.Labels, batchSize: 16, classesPerBatch: 2, seed: seed);
        return Trainer.Train(net, new Sgd<float>(net.Parameters(), 0.05), data, options, sampler: sampler).FinalTestAccuracy;
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

using NormCourse.Layers;
using NormCourse.Models;
using NormCourse.Normalization;
using NormCourse.Tensors;
using NormCourse.Training;
using Zoo = NormCourse.Models.Models;

namespace NormCourse.Tests.Training;

public class TrainerTests
{
    private static readonly MlpConfig Net = new([8, 16, 16, 3]) { Norm = NormKind.BatchNorm };

    private static TrainingHistory Run(MlpConfig config, TrainingOptions options, double lr = 0.1, IProgress<TrainingProgress>? progress = null,
        CancellationToken token = default)
    {
        var model = Zoo.Mlp<float>(config, options.Seed);
        return Trainer.Train(model, new Sgd<float>(model.Parameters(), lr, momentum: 0.9), TinyData.Blobs(), options, progress: progress,
            cancellationToken: token);
    }

    [Fact]
    public void TheSameSeedGivesIdenticalHistories()
    {
        var options = new TrainingOptions { Steps = 40, BatchSize = 16, Seed = 3, EvalEvery = 10 };
        var a = Run(Net with { Dropout = 0.2 }, options);
        var b = Run(Net with { Dropout = 0.2 }, options);
        Assert.True(a.SameNumbers(b));
        Assert.Equal(40, a.Steps.Count);
        var c = Run(Net with { Dropout = 0.2 }, options with { Seed = 4 });
        Assert.False(a.SameNumbers(c));
    }

    [Fact]
    public void EveryStepAndEveryEvaluationIsRecorded()
    {
        var schedule = new StepSchedule(10, 0.5);
        var h = Run(Net, new TrainingOptions { Steps = 25, BatchSize = 16, EvalEvery = 10, Schedule = schedule });
        Assert.Equal(Enumerable.Range(0, 25), h.Steps.Select(s => s.Step));
        Assert.Equal([0, 10, 20, 25], h.Evaluations.Select(e => e.Step));
        Assert.Equal(Enumerable.Range(0, 25).Select(t => 0.1 * schedule.Factor(t)), h.Steps.Select(s => s.LearningRate));
        var model = Zoo.Mlp<float>(Net, 0);
        var sgd = new Sgd<float>(model.Parameters(), 0.1);
        Trainer.Train(model, sgd, TinyData.Blobs(), new TrainingOptions { Steps = 25, BatchSize = 16, Schedule = schedule });
        Assert.Equal(0.1, sgd.LearningRate); // the base rate is given back
        Assert.All(h.Steps, s => Assert.InRange(s.Accuracy, 0, 1));
        Assert.Equal(TrainingOutcome.Completed, h.Outcome);
        Assert.True(h.FinalTestAccuracy > 0.9, $"blobs should be easy; got {h.FinalTestAccuracy}");
    }

    [Fact]
    public void EpochsCountFullBatchesAndTheLastPartialOneIsDroppedByDefault()
    {
        // 240 examples in batches of 50: 4 full batches per epoch (the 40 left over are dropped).
        var h = Run(Net, new TrainingOptions { Epochs = 2, BatchSize = 50, EvalEvery = 0 });
        Assert.Equal(8, h.Steps.Count);
        Assert.Equal([8], h.Evaluations.Select(e => e.Step));
        var kept = Run(Net, new TrainingOptions { Epochs = 1, BatchSize = 50, EvalEvery = 0, DropLast = false });
        Assert.Equal(5, kept.Steps.Count);
    }

    [Fact]
    public void EvaluationRunsInEvalModeAndTrainingResumesInTrainMode()
    {
        var spy = new ModeSpy();
        var model = Zoo.Mlp<float>(Net, 0);
        model.Add(spy);
        var data = TinyData.Blobs();
        Trainer.Train(model, new Sgd<float>(model.Parameters(), 0.1), data, new TrainingOptions { Steps = 6, BatchSize = 16, EvalEvery = 3, EvalBatchSize = 50 });
        // 120 test examples in batches of 50 → 3 eval forwards per evaluation, at steps 0, 3, 6.
        bool[] expected = [false, false, false, true, true, true, false, false, false, true, true, true, false, false, false];
        Assert.Equal(expected, spy.Modes);
        Assert.True(model.IsTraining);
    }

    [Fact]
    public void EvaluateUsesRunningStatisticsNotTheBatch()
    {
        var model = Zoo.Mlp<float>(Net, 0);
        var data = TinyData.Blobs();
        Trainer.Train(model, new Sgd<float>(model.Parameters(), 0.1), data, new TrainingOptions { Steps = 20, BatchSize = 16, EvalEvery = 0 });
        // In eval mode each example's output is independent of the others, so batch size cannot change the answer.
        var (loss1, acc1) = Trainer.Evaluate(model, data.Test, batchSize: 1);
        var (loss2, acc2) = Trainer.Evaluate(model, data.Test, batchSize: 120);
        Assert.Equal(acc1, acc2);
        Assert.Equal(loss1, loss2, 5);
        Assert.True(model.IsTraining);
    }

    [Fact]
    public void ANaNLossStopsTheRunAndIsRecordedAsDivergence()
    {
        var plain = new MlpConfig([8, 16, 16, 3]) { Init = InitScheme.Normal, InitScale = 3 };
        var h = Run(plain, new TrainingOptions { Steps = 200, BatchSize = 16, EvalEvery = 50 }, lr: 1e6);
        Assert.Equal(TrainingOutcome.Diverged, h.Outcome);
        Assert.True(h.Diverged);
        int at = h.DivergedAtStep!.Value;
        Assert.True(at < 199);
        Assert.Equal(at, h.Steps[^1].Step);
        Assert.False(double.IsFinite(h.Steps[^1].Loss));
        Assert.All(h.Steps.Take(h.Steps.Count - 1), s => Assert.True(double.IsFinite(s.Loss)));
    }

    [Fact]
    public void CancellingReturnsThePartialHistory()
    {
        using var cts = new CancellationTokenSource();
        var reports = new List<TrainingProgress>();
        var progress = new SyncProgress(p =>
        {
            reports.Add(p);
            if (p.Step >= 20) cts.Cancel();
        });
        var h = Run(Net, new TrainingOptions { Steps = 1000, BatchSize = 16, EvalEvery = 0, ProgressEvery = 10 }, progress: progress, token: cts.Token);
        Assert.Equal(TrainingOutcome.Cancelled, h.Outcome);
        Assert.Equal(20, h.Steps.Count);
        Assert.Equal([10, 20, 20], reports.Select(r => r.Step));
        Assert.Equal(TrainingOutcome.Cancelled, reports[^1].Outcome);
        Assert.All(reports, r => Assert.Equal(1000, r.TotalSteps));
    }

    [Fact]
    public void TheRenormScheduleSetsEveryBatchRenormLayersBoundsBeforeEachUpdate()
    {
        var model = Zoo.Mlp<float>(Net with { Norm = NormKind.BatchRenorm }, 0);
        var schedule = new RenormSchedule(WarmupSteps: 2, FinalRMax: 3, RMaxReachedAt: 6, FinalDMax: 5, DMaxReachedAt: 12);
        Trainer.Train(model, new Sgd<float>(model.Parameters(), 0.1), TinyData.Blobs(),
            new TrainingOptions { Steps = 10, BatchSize = 16, EvalEvery = 0, Renorm = schedule });
        // The last update is step 9: r_max has reached 3; d_max is (9 − 2)/(12 − 2) of the way to 5.
        Assert.All(model.Layers.OfType<BatchRenorm<float>>(), l => Assert.Equal((3.0, 3.5), (l.RMax, l.DMax)));
        Assert.Equal(2, model.Layers.OfType<BatchRenorm<float>>().Count());
    }

    [Fact]
    public void BadOptionsNameTheField()
    {
        Assert.Contains("Steps and Epochs", Assert.Throws<ArgumentException>(() => new TrainingOptions().Validate()).Message);
        Assert.Contains("Steps and Epochs", Assert.Throws<ArgumentException>(() => new TrainingOptions { Steps = 1, Epochs = 1 }.Validate()).Message);
        Assert.Equal("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { Steps = 1, BatchSize = 0 }.Validate()).ParamName);
    }

    /// <summary>Records the mode of every forward pass; otherwise the identity.</summary>
    private sealed class ModeSpy : Module<float>
    {
        public List<bool> Modes { get; } = [];

        public override Tensor<float> Forward(Tensor<float> input)
        {
            Modes.Add(IsTraining);
            return input;
        }

        public override Tensor<float> Backward(Tensor<float> gradOutput) => gradOutput;
    }

    /// <summary>Reports synchronously on the training thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

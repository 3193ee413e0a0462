using NormCourse.Experiments;
using NormCourse.Models;
using NormCourse.Tests.Training;
using NormCourse.Training;

namespace NormCourse.Tests.Experiments;

public class ExperimentTests
{
    private static readonly ExperimentConfig Base = new(
        new MlpConfig([8, 16, 16, 3]) { Dropout = 0.1 },
        new OptimizerConfig(OptimizerKind.Sgd, 0.1) { Momentum = 0.9 },
        new TrainingOptions { Steps = 30, BatchSize = 16, EvalEvery = 10 });

    private static Sweep<ExperimentConfig> Grid() => new Sweep<ExperimentConfig>(Base)
        .Over("Norm", [NormKind.None, NormKind.BatchNorm, NormKind.LayerNorm], (c, v) => c with { Model = ((MlpConfig)c.Model) with { Norm = v } })
        .Over("LearningRate", [0.05, 0.5], (c, v) => c with { Optimizer = c.Optimizer with { LearningRate = v } })
        .Over("Seed", [0, 1], (c, v) => c with { Training = c.Training with { Seed = v } });

    [Fact]
    public void ARealSweepInParallelGivesTheSameRowsAsSerially()
    {
        var data = TinyData.Blobs();
        var serial = Grid().Run((c, token) => Experiment.Run(c, data, token), maxParallelism: 1);
        var parallel = Grid().Run((c, token) => Experiment.Run(c, data, token), maxParallelism: 4);
        Assert.Equal(12, serial.Runs.Count);
        for (int i = 0; i < 12; i++)
        {
            Assert.Equal(serial.Runs[i].Values, parallel.Runs[i].Values);
            Assert.True(serial.Runs[i].History.SameNumbers(parallel.Runs[i].History), serial.Runs[i].Label);
        }
        var df = parallel.ToDataFrame();
        Assert.Equal("BatchNorm", df["Norm"][4]);
        Assert.Equal(0.05, df["LearningRate"][4]);
        // Different configurations really differ.
        Assert.False(serial.Runs[0].History.SameNumbers(serial.Runs[1].History));
    }

    [Fact]
    public void AnExperimentIsItsModelOptimizerAndOptions()
    {
        var data = TinyData.Blobs();
        var adam = Base with { Optimizer = new OptimizerConfig(OptimizerKind.Adam, 0.01) };
        var a = Experiment.Run(adam, data);
        var b = Experiment.Run(adam, data);
        Assert.True(a.SameNumbers(b));
        Assert.All(a.Steps, s => Assert.Equal(0.01, s.LearningRate));
        var lenet = new ExperimentConfig(new LeNetConfig { Norm = NormKind.BatchNorm }, new OptimizerConfig(), new TrainingOptions { Steps = 1, BatchSize = 4, EvalEvery = 0 });
        Assert.Throws<ArgumentException>(() => Experiment.Run(lenet, data)); // blobs are not 28×28 images
    }
}

using Microsoft.Data.Analysis;
using NormCourse.Experiments;
using NormCourse.Training;

namespace NormCourse.Tests.Experiments;

public class SweepTests
{
    private sealed record Config(string Norm = "None", double LearningRate = 0.1, int Seed = 0, bool Bias = true);

    /// <summary>A stand-in "training run": a seeded random walk whose numbers depend only on the configuration.</summary>
    private static TrainingHistory FakeRun(Config c, CancellationToken token)
    {
        var random = new Random(c.Seed * 7919 + (int)(c.LearningRate * 1000) + c.Norm.Length);
        var steps = new List<StepRecord>();
        double loss = 2.3;
        for (int t = 0; t < 50; t++)
        {
            loss *= 1 - c.LearningRate * random.NextDouble() / 10;
            steps.Add(new StepRecord(t, loss, 1 - loss / 2.3, c.LearningRate, 0));
        }
        bool diverge = c.LearningRate > 1;
        if (diverge) steps.Add(new StepRecord(50, double.NaN, 0, c.LearningRate, 0));
        var evals = new List<EvalRecord> { new(0, 2.3, 0.1, 0), new(50, loss, 0.5 + random.NextDouble() / 4, 0) };
        return new TrainingHistory(steps, evals, diverge ? TrainingOutcome.Diverged : TrainingOutcome.Completed, diverge ? 50 : null);
    }

    private static Sweep<Config> Grid() => new Sweep<Config>(new Config())
        .Over("Norm", ["None", "BatchNorm"], (c, v) => c with { Norm = v })
        .Over("LearningRate", [0.1, 2.0], (c, v) => c with { LearningRate = v })
        .Over("Seed", [0, 1, 2], (c, v) => c with { Seed = v });

    [Fact]
    public void PointsCoverTheGridWithTheFirstAxisSlowest()
    {
        var points = Grid().Points();
        Assert.Equal(12, points.Count);
        Assert.Equal(new Config("None", 0.1, 0), points[0].Config);
        Assert.Equal(new Config("None", 0.1, 1), points[1].Config);
        Assert.Equal(new Config("None", 2.0, 0), points[3].Config);
        Assert.Equal(new Config("BatchNorm", 2.0, 2), points[11].Config);
        Assert.Equal("Norm=BatchNorm, LearningRate=2, Seed=2", points[11].Label);
        Assert.Equal(12, points.Select(p => p.Config).Distinct().Count());
    }

    [Fact]
    public void ParallelRunsGiveTheSameRowsAsSerialRuns()
    {
        var serial = Grid().Run(FakeRun, maxParallelism: 1);
        var parallel = Grid().Run(FakeRun, maxParallelism: 4);
        Assert.Equal(serial.Runs.Count, parallel.Runs.Count);
        for (int i = 0; i < serial.Runs.Count; i++)
        {
            Assert.Equal(serial.Runs[i].Values, parallel.Runs[i].Values);
            Assert.True(serial.Runs[i].History.SameNumbers(parallel.Runs[i].History));
        }
        Assert.Equal(Rows(serial.ToDataFrame()), Rows(parallel.ToDataFrame()));
    }

    private static List<string> Rows(DataFrame df) =>
        [.. Enumerable.Range(0, (int)df.Rows.Count).Select(i => string.Join("|", df.Rows[i].Select(v => v?.ToString())))];

    [Fact]
    public void TheTableHasAxisColumnsThenFinalAndBestMetrics()
    {
        var results = Grid().Run(FakeRun);
        var df = results.ToDataFrame();
        Assert.Equal(["Norm", "LearningRate", "Seed", .. SweepResults.MetricColumns], df.Columns.Select(c => c.Name));
        Assert.IsType<StringDataFrameColumn>(df["Norm"]);
        Assert.IsType<DoubleDataFrameColumn>(df["LearningRate"]);
        Assert.Equal(12, df.Rows.Count);
        var history = results.Runs[4].History; // None, 2.0, seed 1: diverges
        Assert.Equal(true, df["Diverged"][4]);
        Assert.Equal(50, df["DivergedAtStep"][4]);
        Assert.Null(df["DivergedAtStep"][0]);
        Assert.Equal(history.Evaluations.Max(e => e.Accuracy), (double)df["BestTestAccuracy"][4]!);
        Assert.Equal(history.Evaluations[^1].Accuracy, (double)df["FinalTestAccuracy"][4]!);
        Assert.Equal(history.Steps[^1].Loss, (double)df["FinalTrainLoss"][4]!);
    }

    [Fact]
    public void HistoriesComeAsLongTables()
    {
        var results = Grid().Run(FakeRun);
        var evals = results.ToEvaluationsDataFrame();
        Assert.Equal(["Norm", "LearningRate", "Seed", "Step", "TestLoss", "TestAccuracy"], evals.Columns.Select(c => c.Name));
        Assert.Equal(12 * 2, evals.Rows.Count);
        Assert.Equal("None", evals["Norm"][1]);
        Assert.Equal(50, evals["Step"][1]);
        Assert.Equal(results.Runs[0].History.Evaluations[1].Accuracy, (double)evals["TestAccuracy"][1]!);
        var steps = results.ToStepsDataFrame();
        Assert.Equal(results.Runs.Sum(r => r.History.Steps.Count), steps.Rows.Count);
        Assert.Equal(["Norm", "LearningRate", "Seed", "Step", "TrainLoss", "TrainAccuracy"], steps.Columns.Select(c => c.Name));
    }

    [Fact]
    public void JsonKeepsEveryValueAndHistory()
    {
        var results = Grid().Run(FakeRun);
        string path = Path.Combine(Path.GetTempPath(), $"sweep-{Guid.NewGuid():N}.json");
        try
        {
            results.SaveJson(path);
            var loaded = SweepResults.LoadJson(path);
            Assert.Equal(results.AxisNames, loaded.AxisNames);
            for (int i = 0; i < results.Runs.Count; i++)
            {
                Assert.Equal(results.Runs[i].Values, loaded.Runs[i].Values);
                Assert.True(results.Runs[i].History.SameNumbers(loaded.Runs[i].History));
            }
            Assert.Equal(Rows(results.ToDataFrame()), Rows(loaded.ToDataFrame()));
            Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $".{Path.GetFileName(path)}*.tmp"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CsvKeepsTheTable()
    {
        var results = Grid().Run(FakeRun);
        string path = Path.Combine(Path.GetTempPath(), $"sweep-{Guid.NewGuid():N}.csv");
        try
        {
            results.SaveCsv(path);
            var loaded = SweepResults.LoadCsv(path);
            var original = results.ToDataFrame();
            Assert.Equal(original.Columns.Select(c => c.Name), loaded.Columns.Select(c => c.Name));
            Assert.IsType<DoubleDataFrameColumn>(loaded["FinalTrainLoss"]);
            Assert.IsType<BooleanDataFrameColumn>(loaded["Diverged"]);
            for (int i = 0; i < original.Rows.Count; i++)
            {
                Assert.Equal((double)original["FinalTrainLoss"][i]!, (double)loaded["FinalTrainLoss"][i]!);
                Assert.Equal((double)original["BestTestAccuracy"][i]!, (double)loaded["BestTestAccuracy"][i]!);
                Assert.Equal(original["Norm"][i], loaded["Norm"][i]);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void BadAxesAndFilesSayWhatIsWrong()
    {
        var sweep = new Sweep<Config>(new Config()).Over("Seed", [1], (c, v) => c with { Seed = v });
        Assert.Throws<ArgumentException>(() => sweep.Over("Seed", [2], (c, v) => c with { Seed = v }));
        Assert.Throws<ArgumentException>(() => sweep.Over("Bias", Array.Empty<bool>(), (c, v) => c with { Bias = v }));
        Assert.Throws<FileNotFoundException>(() => SweepResults.LoadJson("/nonexistent/sweep.json"));
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{ not json");
            Assert.Throws<InvalidDataException>(() => SweepResults.LoadJson(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}

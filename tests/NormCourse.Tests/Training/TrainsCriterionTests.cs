using NormCourse.Training;

namespace NormCourse.Tests.Training;

public class TrainsCriterionTests
{
    // A hand-made history: evaluations at steps 0, 100, …, the given accuracies, optionally diverged.
    private static TrainingHistory Made(bool diverged, params double[] accuracies) => new([],
        accuracies.Select((a, i) => new EvalRecord(100 * i, 1 - a, a, 0)).ToList(),
        diverged ? TrainingOutcome.Diverged : TrainingOutcome.Completed, diverged ? 150 : null);

    [Fact]
    public void ARunTrainsWhenItsFinalAccuracyReachesTheThreshold()
    {
        var criterion = new TrainsCriterion(200, 0.5);
        Assert.True(criterion.IsMetBy(Made(false, 0.1, 0.3, 0.5)));   // exactly the threshold counts
        Assert.False(criterion.IsMetBy(Made(false, 0.1, 0.9, 0.49))); // an earlier peak does not
    }

    [Fact]
    public void ADivergedRunNeverTrains() =>
        Assert.False(new TrainsCriterion(100, 0.5).IsMetBy(Made(true, 0.1, 0.9)));

    [Fact]
    public void ARunOfADifferentLengthIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new TrainsCriterion(300, 0.5).IsMetBy(Made(false, 0.1, 0.9)));
        Assert.Contains("300", e.Message);
    }

    [Fact]
    public void TheLargestTrainingRateIgnoresFailuresBetweenSuccesses()
    {
        var criterion = new TrainsCriterion(100, 0.5);
        (double, TrainingHistory)[] runs =
        [
            (0.1, Made(false, 0.1, 0.2)), (1, Made(false, 0.1, 0.8)), (3, Made(true, 0.1)),
            (10, Made(false, 0.1, 0.6)), (30, Made(false, 0.1, 0.1)),
        ];
        Assert.Equal(10, criterion.LargestTrainingRate(runs));
        Assert.Null(criterion.LargestTrainingRate(runs.Where(r => r.Item1 is 0.1 or 30)));
    }

    [Fact]
    public void AnInvalidThresholdIsNamed()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainsCriterion(100, 1.5).IsMetBy(Made(false, 0.1, 0.6)));
        Assert.Equal("MinTestAccuracy", e.ParamName);
    }
}

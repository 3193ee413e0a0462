using NormCourse.Training;

namespace NormCourse.Tests.Training;

public class ScheduleTests
{
    [Fact]
    public void ConstantIsTheBaseRate() =>
        Assert.All(Enumerable.Range(0, 5), t => Assert.Equal(0.3, new ConstantSchedule().LearningRate(0.3, t)));

    [Fact]
    public void StepDecaysEveryStepSize()
    {
        var s = new StepSchedule(3, 0.5);
        Assert.Equal([1, 1, 1, 0.5, 0.5, 0.5, 0.25], Enumerable.Range(0, 7).Select(s.Factor));
    }

    [Fact]
    public void CosineFollowsHalfACosine()
    {
        var s = new CosineSchedule(4, MinFactor: 0.1);
        Assert.Equal(1.0, s.Factor(0), 12);
        Assert.Equal(0.1 + 0.9 * (1 + Math.Sqrt(0.5)) / 2, s.Factor(1), 12);
        Assert.Equal(0.55, s.Factor(2), 12);
        Assert.Equal(0.1, s.Factor(4), 12);
        Assert.Equal(0.1, s.Factor(9), 12);
    }

    [Fact]
    public void WarmupRampsLinearlyThenDefersToItsSchedule()
    {
        var s = new WarmupSchedule(4, new StepSchedule(5, 0.1));
        Assert.Equal([0.25, 0.5, 0.75, 1, 1, 0.1], Enumerable.Range(0, 6).Select(t => Math.Round(s.Factor(t), 12)));
        Assert.Equal(0.05, s.LearningRate(0.2, 0), 12);
    }

    [Fact]
    public void SchedulesAreValuesInAConfiguration() =>
        Assert.Equal(new WarmupSchedule(2, new CosineSchedule(10)), new WarmupSchedule(2, new CosineSchedule(10)));

    [Fact]
    public void BadSchedulesSayWhatIsWrong()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new StepSchedule(0).Factor(1));
        Assert.Contains("StepSize", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantSchedule().LearningRate(1, -1));
    }

    [Fact]
    public void RenormBoundsStayAtBatchNormDuringWarmupThenRampToThePapersValues()
    {
        var s = new RenormSchedule(); // Ioffe 2017: 5k warm-up, r_max 3 at 40k, d_max 5 at 25k
        Assert.Equal((1.0, 0.0), (s.RMax(0), s.DMax(5000)));
        Assert.Equal(2.0, s.RMax(22500), 12);   // halfway from 5k to 40k
        Assert.Equal(2.5, s.DMax(15000), 12);   // halfway from 5k to 25k
        Assert.Equal((3.0, 5.0), (s.RMax(100000), s.DMax(100000)));
        var small = s.Scaled(0.01);
        Assert.Equal((50, 400, 250), (small.WarmupSteps, small.RMaxReachedAt, small.DMaxReachedAt));
    }
}

using NormCourse.Training;
using Zoo = NormCourse.Models.Models;

namespace NormCourse.Tests.Lessons;

/// <summary>
/// Lesson 03's claims on Ioffe &amp; Szegedy's §4.1 network (784-3×100 sigmoid-10, batch 60, plain SGD), three seeds:
/// BN reaches a higher test accuracy sooner at the lesson's learning rate, and the largest learning rate of a sweep
/// that still trains (<see cref="TrainsCriterion.Lesson03"/>) is larger with BN, while the plain network
/// does train at some rate of the sweep.
/// </summary>
public class Lesson03TrainingWithBnTests(LessonMnist mnist) : IClassFixture<LessonMnist>
{
    private TrainingHistory Train(bool batchNorm, double lr, int steps, int seed, int evalEvery)
    {
        var model = Zoo.Mlp<float>(Zoo.IoffeSzegedyConfig(batchNorm), seed);
        return Trainer.Train(model, new Sgd<float>(model.Parameters(), lr), mnist.Data,
            new TrainingOptions { Steps = steps, BatchSize = 60, Seed = seed, EvalEvery = evalEvery });
    }

    private static int StepsToReach(TrainingHistory h, double target) =>
        h.Evaluations.Where(e => e.Accuracy >= target).Select(e => e.Step).DefaultIfEmpty(int.MaxValue).First();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void BatchNormReachesHigherTestAccuracySooner(int seed)
    {
        var plain = Train(false, 0.5, 120, seed, 40);
        var withBn = Train(true, 0.5, 120, seed, 40);
        Assert.True(StepsToReach(withBn, 0.7) < StepsToReach(plain, 0.7),
            $"seed {seed}: steps to 70 % with BN {StepsToReach(withBn, 0.7)}, without {StepsToReach(plain, 0.7)}");
        Assert.All(withBn.Evaluations.Skip(1).Zip(plain.Evaluations.Skip(1)), p =>
            Assert.True(p.First.Accuracy > p.Second.Accuracy, $"seed {seed}, step {p.First.Step}: BN {p.First.Accuracy:P1}, plain {p.Second.Accuracy:P1}"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void BatchNormToleratesALargerLearningRate(int seed)
    {
        // The lesson's criterion (no divergence, test accuracy ≥ 50 % after 300 steps) on the middle of its sweep:
        // the plain network must train at some rate, and BN's largest training rate must exceed the plain one's.
        var criterion = TrainsCriterion.Lesson03;
        double[] rates = [1, 3, 10, 30];
        double? Largest(bool bn) => criterion.LargestTrainingRate(rates.Select(lr => (lr, Train(bn, lr, criterion.Steps, seed, 0))));
        double? plain = Largest(false), withBn = Largest(true);
        Assert.True(plain > 0, $"seed {seed}: the plain network trains at none of {string.Join(", ", rates)}");
        Assert.True(withBn > plain, $"seed {seed}: largest training lr with BN {withBn?.ToString() ?? "none"}, without {plain}");
    }
}

using NormCourse.Training;
using Zoo = NormCourse.Models.Models;

namespace NormCourse.Tests.Lessons;

/// <summary>
/// Lesson 03's claims on Ioffe &amp; Szegedy's §4.1 network (784-3×100 sigmoid-10, batch 60, plain SGD), three seeds:
/// BN reaches a higher test accuracy sooner at the lesson's learning rate, and the largest learning rate of a sweep
/// that still trains (no divergence, test accuracy ≥ 70 %) is larger with BN.
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
        double[] rates = [1, 10, 100];
        double Largest(bool bn) => rates.Where(lr =>
        {
            var h = Train(bn, lr, 100, seed, 100);
            return !h.Diverged && h.FinalTestAccuracy >= 0.7;
        }).DefaultIfEmpty(0).Max();
        double plain = Largest(false), withBn = Largest(true);
        // 0 means no rate of the sweep trains: the plain network reaches 70 % at none of them in 100 steps.
        Assert.True(withBn > plain, $"seed {seed}: largest training lr with BN {withBn}, without {plain}");
    }
}

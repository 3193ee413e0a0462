using NormCourse.Data;
using NormCourse.Normalization;
using NormCourse.Probes;
using NormCourse.Tensors;
using NormCourse.Training;
using Zoo = NormCourse.Models.Models;

namespace NormCourse.Tests.Lessons;

/// <summary>
/// Lesson 01's claims: (1) the median of a last-hidden-layer sigmoid input of Ioffe &amp; Szegedy's §4.1 network drifts
/// less with BN than without, measured as the total variation of the block-averaged median after the first fifth of
/// training, relative to the 15th–85th spread; (2) BN leaves the skewness of its input unchanged (an exact property of
/// an affine map, checked against the closed-form skewness 2/√3 of {0, 0, 0, 1}).
/// </summary>
public class Lesson01CovariateShiftTests(LessonMnist mnist) : IClassFixture<LessonMnist>
{
    private const int Steps = 300, Every = 5, Window = 6, Skip = Steps / 5;

    private PercentileProbe Run(bool batchNorm, int seed)
    {
        var model = Zoo.Mlp<float>(Zoo.IoffeSzegedyConfig(batchNorm), seed);
        var probe = new PercentileProbe(batchNorm ? 7 : 4, [0, 1, 2], [15.0, 50.0, 85.0], Every);
        Trainer.Train(model, new Sgd<float>(model.Parameters(), 0.5), mnist.Data,
            new TrainingOptions { Steps = Steps, BatchSize = 60, Seed = seed, EvalEvery = 0 }, [probe]);
        return probe;
    }

    private static double Drift(PercentileProbe p) =>
        new[] { 0, 1, 2 }.Average(u => PercentileDrift.RelativeTotalVariation(p.Records, u, 1, Skip, Window));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void BatchNormMedianDriftsLessRelativeToItsSpread(int seed)
    {
        double plain = Drift(Run(false, seed)), withBn = Drift(Run(true, seed));
        Assert.True(withBn < plain, $"seed {seed}: relative drift with BN {withBn:F3}, without {plain:F3}");
    }

    [Fact]
    public void BatchNormKeepsTheSkewnessOfItsInput()
    {
        static double Skew(ReadOnlySpan<double> v)
        {
            double m = 0, s2 = 0, s3 = 0;
            foreach (double a in v) m += a;
            m /= v.Length;
            foreach (double a in v) { s2 += (a - m) * (a - m); s3 += Math.Pow(a - m, 3); }
            return s3 / v.Length / Math.Pow(s2 / v.Length, 1.5);
        }
        double[] twoPoint = [0, 0, 0, 1, 0, 0, 0, 1];
        var y = new BatchNorm1d<double>(1).Forward(Tensor<double>.FromArray((double[])twoPoint.Clone(), 8, 1));
        Assert.Equal(2 / Math.Sqrt(3), Skew(twoPoint), 12);
        Assert.Equal(2 / Math.Sqrt(3), Skew(y.Span), 9);
        double mean = y.Span.ToArray().Average();
        Assert.Equal(0, mean, 12);
        Assert.InRange(y.Span.ToArray().Average(v => v * v), 1 - 1e-3, 1); // variance σ²/(σ² + ε), just below 1
    }

    [Fact]
    public void DriftMeasureAgreesWithAHandComputedSeries()
    {
        // Medians 0, 2, 1, 1, 4, 4 with window 2: block means 1, 1, 4 → TV 3; spread 2 everywhere → relative 1.5.
        double[] medians = [0, 2, 1, 1, 4, 4];
        var records = medians.Select((m, i) => new PercentileRecord(i * 10, 0, [m - 1, m, m + 1])).ToList();
        Assert.Equal(3, PercentileDrift.TotalVariation(records, 0, 1, window: 2), 12);
        Assert.Equal(1.5, PercentileDrift.RelativeTotalVariation(records, 0, 1, window: 2), 12);
        Assert.Equal(2 + 1 + 0 + 3 + 0, PercentileDrift.TotalVariation(records, 0, 1), 12);
        Assert.Equal(3 + 0, PercentileDrift.TotalVariation(records, 0, 1, fromStep: 30), 12);
    }
}

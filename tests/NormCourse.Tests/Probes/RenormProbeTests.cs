using NormCourse.Layers;
using NormCourse.Models;
using NormCourse.Normalization;
using NormCourse.Probes;
using NormCourse.Tensors;
using NormCourse.Tests.Training;
using NormCourse.Training;

namespace NormCourse.Tests.Probes;

public class RenormProbeTests
{
    private static ProbeContext Context(int step, Sequential<float> model) =>
        new(step, model, 0.1, 0, () => throw new InvalidOperationException("not used"));

    [Fact]
    public void SummarisesRAndDComputedByHandFromTheBatchAndTheMovingStatistics()
    {
        // Two units, moving mean (0, 1), moving std (2, 0.5); eps 1e-5; bounds rMax 1.5, dMax 1.
        var renorm = new BatchRenorm1d<float>(2, rMax: 1.5, dMax: 1.0);
        renorm.RunningMean.Span[1] = 1;
        renorm.RunningStd.Span[0] = 2;
        renorm.RunningStd.Span[1] = 0.5f;
        var model = new Sequential<float>(new Linear<float>(2, 2, new Random(0)), renorm);
        var probe = new RenormProbe();
        probe.Attach(model);
        Assert.Equal(1, probe.Layer);

        // The batch reaching unit 0: 1, 3, 5, 7 (mean 4, biased variance 5); unit 1: 0.9, 1.1, 0.9, 1.1 (mean 1, variance 0.01).
        float[] u0 = [1, 3, 5, 7], u1 = [0.9f, 1.1f, 0.9f, 1.1f];
        var batch = Tensor<float>.FromArray([.. u0.Zip(u1).SelectMany(p => new[] { p.First, p.Second })], 4, 2);
        renorm.Forward(batch);
        probe.BeforeUpdate(Context(0, model));

        double r0 = Math.Clamp(Math.Sqrt(5 + 1e-5) / 2, 1 / 1.5, 1.5), d0 = Math.Clamp((4 - 0.0) / 2, -1, 1);     // 1.118…, clipped to 1
        double r1 = Math.Clamp(Math.Sqrt(0.01 + 1e-5) / 0.5, 1 / 1.5, 1.5), d1 = Math.Clamp((1 - 1.0) / 0.5, -1, 1); // clipped to 2/3, 0
        var rec = Assert.Single(probe.Records);
        Assert.Equal((0, 1, 1.5, 1.0), (rec.Step, rec.Layer, rec.RMax, rec.DMax));
        Assert.Equal(Math.Min(r0, r1), rec.MinR, 5);
        Assert.Equal(Math.Max(r0, r1), rec.MaxR, 5);
        Assert.Equal((Math.Abs(r0 - 1) + Math.Abs(r1 - 1)) / 2, rec.MeanAbsRMinusOne, 5);
        Assert.Equal((Math.Abs(d0) + Math.Abs(d1)) / 2, rec.MeanAbsD, 5);
        Assert.Equal(1.0, rec.MaxAbsD, 5);
        Assert.Equal(1.0, rec.ClippedFraction);   // unit 0's d and unit 1's r are at their bounds
    }

    [Fact]
    public void InTrainingTheRecordedBoundsFollowTheScheduleAndRAndDStayWithinThem()
    {
        var schedule = new RenormSchedule(WarmupSteps: 5, FinalRMax: 3, RMaxReachedAt: 25, FinalDMax: 5, DMaxReachedAt: 15);
        var model = new MlpConfig([8, 16, 3]) { Norm = NormKind.BatchRenorm }.Build<float>(0);
        var probe = new RenormProbe(every: 2);
        Trainer.Train(model, new Sgd<float>(model.Parameters(), 0.1), TinyData.Blobs(),
            new TrainingOptions { Steps = 30, BatchSize = 4, EvalEvery = 0, Renorm = schedule }, [probe]);
        Assert.Equal(Enumerable.Range(0, 15).Select(i => 2 * i), probe.Records.Select(r => r.Step));
        foreach (var r in probe.Records)
        {
            // The schedule's ramps, written out: flat until step 5, linear to 3 at 25 (r) and to 5 at 15 (d).
            double rMax = r.Step <= 5 ? 1 : Math.Min(3, 1 + 2.0 * (r.Step - 5) / 20);
            double dMax = r.Step <= 5 ? 0 : Math.Min(5, 5.0 * (r.Step - 5) / 10);
            Assert.Equal(rMax, r.RMax, 12);
            Assert.Equal(dMax, r.DMax, 12);
            Assert.InRange(r.MinR, 1 / rMax - 1e-12, r.MaxR);
            Assert.InRange(r.MaxR, r.MinR, rMax + 1e-12);
            Assert.InRange(r.MaxAbsD, r.MeanAbsD, dMax + 1e-12);
        }
        // While rMax = 1 and dMax = 0 it is plain BatchNorm: no correction at all.
        Assert.All(probe.Records.Where(r => r.Step <= 5), r => Assert.Equal((1.0, 1.0, 0.0, 1.0), (r.MinR, r.MaxR, r.MaxAbsD, r.ClippedFraction)));
    }

    [Fact]
    public void ANetworkWithoutBatchRenormIsRejectedByName()
    {
        var plain = new MlpConfig([4, 4, 2]) { Norm = NormKind.BatchNorm }.Build<float>(0);
        Assert.Contains("no Batch Renorm", Assert.Throws<ArgumentException>(() => new RenormProbe().Attach(plain)).Message);
        Assert.Contains("Layer 0", Assert.Throws<ArgumentException>(() => new RenormProbe(layer: 0).Attach(plain)).Message);
    }
}

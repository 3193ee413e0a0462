using NormCourse.Data;
using NormCourse.Layers;
using NormCourse.Normalization;
using NormCourse.Tensors;
using NormCourse.Training;

namespace NormCourse.Tests.Training;

public class RunningStatisticsTests
{
    [Fact]
    public void RecalibrationAveragesTheBatchStatisticsWithTheWeightsFixed()
    {
        var data = TinyData.Blobs(train: 60, features: 3);
        var bn = new BatchNorm1d<float>(3, momentum: 0.1);
        var model = new Sequential<float>(bn);
        bn.RunningMean!.Span.Fill(9f); // stale values that must be forgotten
        model.Eval();
        int count = RunningStatistics.Recalibrate(model, data.Train, batchSize: 20, batches: 3, seed: 7);
        Assert.Equal(1, count);

        // By hand: the sampler's three batches (one epoch of 60), each batch's mean and unbiased variance, averaged.
        var batches = new MinibatchSampler(60, 20, 7, dropLast: true).Batches(0).Select(b => b.ToArray()).ToArray();
        for (int f = 0; f < 3; f++)
        {
            double meanOfMeans = 0, meanOfVars = 0;
            foreach (var batch in batches)
            {
                var v = batch.Select(i => (double)data.Train.Features.Span[i * 3 + f]).ToArray();
                double m = v.Average();
                meanOfMeans += m / 3;
                meanOfVars += v.Sum(x => (x - m) * (x - m)) / 19 / 3;
            }
            Assert.Equal(meanOfMeans, bn.RunningMean.Span[f], 4);
            Assert.Equal(meanOfVars, bn.RunningVar!.Span[f], 3);
        }
        Assert.Equal(0.1, bn.Momentum);
        Assert.False(model.IsTraining);
        Assert.Equal(1f, bn.Weight!.Value.Span[0]);
    }
}

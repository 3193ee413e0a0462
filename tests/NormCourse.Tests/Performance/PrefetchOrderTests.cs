using NormCourse.Normalization;

namespace NormCourse.Tests.Performance;

/// <summary>
/// The (N, C, L) reductions prefetch, as they read one run of a channel's values, the run they read next
/// (<see cref="FloatMoments.ToNextRun"/>). A wrong offset changes no value (a prefetch never faults), only the speed, so
/// it is checked here against the order the loops visit the runs in: every outer index, within it the channels
/// first…end−1, each run Inner floats at (o·Channels + c)·Inner.
/// </summary>
public class PrefetchOrderTests
{
    [Theory]
    [InlineData(3, 5, 7, 0, 5)]        // every channel
    [InlineData(3, 5, 7, 1, 4)]        // a block in the middle: the next outer index starts again at channel 1
    [InlineData(4, 16, 784, 8, 16)]    // the upper half of a block, as the worker thread takes it
    [InlineData(2, 9, 1100, 0, 1)]     // one channel: the next run is a whole row of channels on
    [InlineData(1, 4, 3, 2, 4)]        // one outer index: the last run has none after it
    public void EveryRunPointsToTheRunReadAfterIt(int outer, int channels, int inner, int first, int end)
    {
        var layout = new ChannelLayout(outer, channels, inner);
        var visits = new List<(int O, int C, long Start)>();
        for (int o = 0; o < outer; o++)
            for (int c = first; c < end; c++)
                visits.Add((o, c, ((long)o * channels + c) * inner));
        for (int i = 0; i < visits.Count; i++)
        {
            var (o, c, start) = visits[i];
            long expected = i + 1 < visits.Count ? visits[i + 1].Start - start : 0;
            Assert.Equal(expected, FloatMoments.ToNextRun(layout, o, c, first, end));
        }
    }
}

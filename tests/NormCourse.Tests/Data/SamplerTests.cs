using CsCheck;
using NormCourse.Data;

namespace NormCourse.Tests.Data;

public class SamplerTests
{
    private static int[][] Epoch(IBatchSampler s, int epoch) => s.Batches(epoch).Select(b => b.ToArray()).ToArray();

    [Theory]
    [InlineData(100, 32, false, new[] { 32, 32, 32, 4 })]
    [InlineData(100, 32, true, new[] { 32, 32, 32 })]
    [InlineData(96, 32, false, new[] { 32, 32, 32 })]
    [InlineData(5, 8, false, new[] { 5 })]
    [InlineData(5, 8, true, new int[0])]
    public void Minibatches_cover_the_data_once_with_the_last_batch_kept_or_dropped(int n, int b, bool dropLast, int[] sizes)
    {
        var s = new MinibatchSampler(n, b, seed: 1, dropLast);
        var batches = Epoch(s, 0);
        Assert.Equal(sizes, batches.Select(x => x.Length));
        Assert.Equal(sizes.Length, s.BatchesPerEpoch);
        var seen = batches.SelectMany(x => x).ToArray();
        Assert.Equal(seen.Length, seen.Distinct().Count());
        Assert.All(seen, i => Assert.InRange(i, 0, n - 1));
        if (!dropLast) Assert.Equal(n, seen.Length);
    }

    [Fact]
    public void Same_seed_and_epoch_repeat_different_epochs_and_seeds_differ()
    {
        var a = new MinibatchSampler(1000, 50, seed: 7);
        var b = new MinibatchSampler(1000, 50, seed: 7);
        Assert.Equal(Epoch(a, 3), Epoch(b, 3));
        Assert.Equal(Epoch(a, 0), Epoch(a, 0)); // asking again, or in another order, changes nothing
        Assert.NotEqual(Epoch(a, 0), Epoch(a, 1));
        Assert.NotEqual(Epoch(a, 0), Epoch(new MinibatchSampler(1000, 50, seed: 8), 0));
        Assert.NotEqual(Enumerable.Range(0, 1000), a.Order(0)); // actually shuffled
    }

    [Fact]
    public void Class_sorted_batches_hold_one_class_except_at_boundaries()
    {
        var labels = Enumerable.Range(0, 300).Select(i => (i * 7) % 3).ToArray(); // 100 per class, interleaved
        var s = new ClassSortedSampler(labels, batchSize: 25, seed: 3);
        var batches = Epoch(s, 0);
        Assert.Equal(12, batches.Length);
        Assert.All(batches, b => Assert.Single(b.Select(i => labels[i]).Distinct()));
        Assert.Equal(Enumerable.Range(0, 300), batches.SelectMany(x => x).Order());
        Assert.Equal(new[] { 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2 }, batches.Select(b => labels[b[0]]));
        Assert.Equal(batches, Epoch(new ClassSortedSampler(labels, 25, seed: 3), 0));
        Assert.NotEqual(batches, Epoch(s, 1)); // within-class order changes per epoch
    }

    [Theory]
    [InlineData(2, 32)]
    [InlineData(4, 32)]
    [InlineData(1, 10)]
    public void Every_batch_has_exactly_k_classes_in_equal_shares(int k, int batchSize)
    {
        var labels = Mnist.LoadEmbedded().Train.Labels;
        var s = new KClassesPerBatchSampler(labels, batchSize, k, seed: 5);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var batches = Epoch(s, epoch);
            foreach (var b in batches)
            {
                Assert.Equal(batchSize, b.Length);
                var groups = b.GroupBy(i => labels[i]).ToArray();
                Assert.Equal(k, groups.Length);
                Assert.All(groups, g => Assert.Equal(batchSize / k, g.Count()));
            }
            var all = batches.SelectMany(x => x).ToArray();
            Assert.Equal(all.Length, all.Distinct().Count()); // no example twice in an epoch
            // Nearly every example is used: at most k−1 classes' worth of leftovers, each under about one batch.
            Assert.True(all.Length > labels.Length - 10 * batchSize, $"{all.Length} of {labels.Length} used");
        }
        Assert.Equal(Epoch(s, 2), Epoch(new KClassesPerBatchSampler(labels, batchSize, k, seed: 5), 2));
        Assert.NotEqual(Epoch(s, 0), Epoch(s, 1));
    }

    [Fact]
    public void K_classes_sampler_rejects_impossible_settings()
    {
        int[] labels = [0, 0, 0, 1, 1, 1];
        Assert.Throws<ArgumentException>(() => new KClassesPerBatchSampler(labels, 5, 2, seed: 0)); // 5 not a multiple of 2
        Assert.Throws<ArgumentException>(() => new KClassesPerBatchSampler(labels, 6, 3, seed: 0)); // only 2 classes
        Assert.Throws<ArgumentException>(() => new KClassesPerBatchSampler(labels, 8, 2, seed: 0)); // 4 per class needed
    }

    [Fact]
    public void K_classes_property_holds_for_random_labels_and_settings()
    {
        var cases =
            from classes in Gen.Int[2, 8]
            from labels in Gen.Int[0, classes - 1].Array[40, 300]
            from k in Gen.Int[1, classes]
            from per in Gen.Int[1, 5]
            from seed in Gen.Int
            select (labels, k, per, seed);
        cases.Sample(c =>
        {
            var (labels, k, per, seed) = c;
            int usable = labels.GroupBy(y => y).Count(g => g.Count() >= per);
            if (usable < k)
            {
                Assert.Throws<ArgumentException>(() => new KClassesPerBatchSampler(labels, k * per, k, seed));
                return;
            }
            var s = new KClassesPerBatchSampler(labels, k * per, k, seed);
            var batches = Epoch(s, 0);
            Assert.NotEmpty(batches);
            foreach (var b in batches)
            {
                var groups = b.GroupBy(i => labels[i]).ToArray();
                Assert.Equal(k, groups.Length);
                Assert.All(groups, g => Assert.Equal(per, g.Count()));
            }
            var all = batches.SelectMany(x => x).ToArray();
            Assert.Equal(all.Length, all.Distinct().Count());
            Assert.Equal(batches, Epoch(new KClassesPerBatchSampler(labels, k * per, k, seed), 0));
        }, iter: 300);
    }
}

using NormCourse.Data;
using NormCourse.Tensors;

namespace NormCourse.Tests.Data;

public class DatasetOperationsTests
{
    // 4 examples of 2×2 "images": example i has values 10i + {0, 1, 2, 3}.
    private static LabeledDataset Small() => new("small",
        Tensor<float>.FromArray(Enumerable.Range(0, 4).SelectMany(i => new float[] { 10 * i, 10 * i + 1, 10 * i + 2, 10 * i + 3 }).ToArray(), 4, 4),
        [0, 1, 1, 2], 3);

    [Fact]
    public void Gather_copies_a_batch_into_caller_buffers_without_allocating()
    {
        var d = Small();
        var x = Tensor<float>.Zeros(2, 1, 2, 2); // images layout works too
        var y = new int[2];
        int[] batch = [3, 1];
        d.Gather(batch, x, y); // warm-up
        long before = GC.GetAllocatedBytesForCurrentThread();
        d.Gather(batch, x, y);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal([30f, 31, 32, 33, 10, 11, 12, 13], x.Data);
        Assert.Equal([2, 1], y);
        Assert.Throws<ArgumentException>(() => d.Gather([0, 1, 2], x, new int[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.Gather([0, 4], x, y));
    }

    [Fact]
    public void Subset_copies_and_reshapes_share()
    {
        var d = Small();
        var s = d.Subset([2, 0]);
        Assert.Equal([20f, 21, 22, 23, 0, 1, 2, 3], s.Features.Data);
        Assert.Equal([1, 0], s.Labels);
        var images = d.AsImages();
        Assert.Equal([4, 1, 2, 2], images.Features.Shape.ToArray());
        Assert.True(d.Features.Data == images.Features.Data, "AsImages copied the values instead of sharing them");
        Assert.Equal([4, 4], images.Flattened().Features.Shape.ToArray());
        Assert.Throws<ArgumentException>(() => d.AsImages(3, 1, 1));
    }

    [Fact]
    public void Constructor_rejects_labels_out_of_range_and_count_mismatch()
    {
        Assert.Throws<ArgumentException>(() => new LabeledDataset("x", Tensor<float>.Zeros(2, 3), [0, 3], 3));
        Assert.Throws<ArgumentException>(() => new LabeledDataset("x", Tensor<float>.Zeros(2, 3), [0], 3));
    }

    [Fact]
    public void ScaleTo01_divides_by_255()
    {
        var t = Preprocess.ScaleTo01([0, 51, 255, 128], 2, 2);
        Assert.Equal([0f, 0.2f, 1f, 128f / 255f], t.Data);
    }

    [Fact]
    public void Standardizer_fits_on_train_only_and_applies_the_same_statistics_to_test()
    {
        // Feature 0: 1, 2, 3 → μ = 2, σ = √(2/3); feature 1 is constant 5 → σ taken as 1.
        var train = new LabeledDataset("train", Tensor<float>.FromArray([1f, 5, 2, 5, 3, 5], 3, 2), [0, 1, 0], 2);
        var test = new LabeledDataset("test", Tensor<float>.FromArray([4f, 7], 1, 2), [1], 2);
        var split = new DatasetSplit(train, test).Standardized();
        double s = Math.Sqrt(2.0 / 3.0);
        Assert.Equal(-1 / s, split.Train.Features[0, 0], 5);
        Assert.Equal(1 / s, split.Train.Features[2, 0], 5);
        Assert.Equal(0, split.Train.Features[1, 1], 6);
        Assert.Equal(2 / s, split.Test.Features[0, 0], 5); // (4 − 2)/σ, with the training σ
        Assert.Equal(2, split.Test.Features[0, 1], 5); // (7 − 5)/1
        Assert.Equal(1f, train.Features[0, 0]); // the originals are untouched

        var global = Standardizer.Fit(train, StandardizeMode.Global);
        // Global statistics pool all six values.
        double[] v = [1, 5, 2, 5, 3, 5];
        double m = v.Average();
        Assert.Equal(m, global.Mean[0], 5);
        Assert.Equal(Math.Sqrt(v.Select(a => (a - m) * (a - m)).Average()), global.Std[0], 5);
    }

    [Fact]
    public void Standardized_MNIST_training_set_has_zero_mean_and_unit_std_globally()
    {
        var split = Mnist.LoadEmbedded().Standardized(StandardizeMode.Global);
        var x = split.Train.Features.Data;
        double mean = x.Select(v => (double)v).Average();
        double std = Math.Sqrt(x.Select(v => ((double)v - mean) * ((double)v - mean)).Average());
        Assert.Equal(0, mean, 4);
        Assert.Equal(1, std, 4);
    }
}

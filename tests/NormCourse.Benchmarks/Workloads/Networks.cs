using NormCourse.Layers;
using NormCourse.Normalization;

namespace NormCourse.Benchmarks.Workloads;

/// <summary>The networks the training benchmarks step, built from the library's layers.</summary>
public static class Networks
{
    /// <summary>
    /// Ioffe &amp; Szegedy (2015) §4.1: 784-100-100-100-10, sigmoid, with BatchNorm1d before each sigmoid when
    /// <paramref name="batchNorm"/>; the anchor's network.
    /// </summary>
    public static Sequential<float> Mlp(bool batchNorm, int seed = 42)
    {
        var random = new Random(seed);
        var model = new Sequential<float>();
        int[] sizes = [784, 100, 100, 100];
        for (int l = 0; l < 3; l++)
        {
            model.Add(new Linear<float>(sizes[l], sizes[l + 1], random));
            if (batchNorm) model.Add(new BatchNorm1d<float>(sizes[l + 1]));
            model.Add(new Sigmoid<float>());
        }
        model.Add(new Linear<float>(100, 10, random));
        return model;
    }

    /// <summary>LeNet-5 with ReLU and max pooling: conv 5×5 (6, padding 2), pool, conv 5×5 (16), pool, 120, 84, 10.</summary>
    public static Sequential<float> LeNet(int seed = 42)
    {
        var random = new Random(seed);
        return new Sequential<float>(
            new Conv2d<float>(1, 6, 5, random, padding: 2), new ReLU<float>(), new MaxPool2d<float>(2),
            new Conv2d<float>(6, 16, 5, random), new ReLU<float>(), new MaxPool2d<float>(2),
            new Flatten<float>(),
            new Linear<float>(400, 120, random), new ReLU<float>(),
            new Linear<float>(120, 84, random), new ReLU<float>(),
            new Linear<float>(84, 10, random));
    }

    /// <summary>The training step named by <paramref name="key"/>: <c>MLP+BN 60</c>, <c>MLP 256</c>, <c>LeNet 64</c>…</summary>
    public static TrainingStep Step(string key)
    {
        var parts = key.Split(' ');
        int batch = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        return parts[0] switch
        {
            "MLP+BN" => new TrainingStep("MLP+BN", Mlp(batchNorm: true), batch, [784], 10),
            "MLP" => new TrainingStep("MLP", Mlp(batchNorm: false), batch, [784], 10),
            "LeNet" => new TrainingStep("LeNet", LeNet(), batch, [1, 28, 28], 10, poolSize: 6_000),
            _ => throw new ArgumentException($"Unknown training workload '{key}'.", nameof(key)),
        };
    }

    /// <summary>The training steps the benchmarks cover.</summary>
    public static readonly string[] StepKeys = ["MLP+BN 60", "MLP 60", "MLP+BN 256", "MLP 256", "LeNet 64"];
}

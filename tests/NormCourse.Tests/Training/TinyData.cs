using NormCourse.Data;
using NormCourse.Tensors;

namespace NormCourse.Tests.Training;

/// <summary>A small synthetic classification problem: Gaussian blobs around random class centres, seeded.</summary>
internal static class TinyData
{
    public static DatasetSplit Blobs(int train = 240, int test = 120, int features = 8, int classes = 3, int seed = 0)
    {
        var random = new Random(seed);
        var centres = Tensor<float>.Zeros(classes, features);
        Init.Normal(centres, 0, 2, random);
        LabeledDataset Make(string name, int n)
        {
            var x = Tensor<float>.Zeros(n, features);
            Init.Normal(x, 0, 1, random);
            var y = new int[n];
            for (int i = 0; i < n; i++)
            {
                y[i] = i % classes;
                for (int j = 0; j < features; j++) x.Span[i * features + j] += centres.Span[y[i] * features + j];
            }
            return new LabeledDataset(name, x, y, classes);
        }
        return new DatasetSplit(Make("blobs train", train), Make("blobs test", test));
    }
}

using NormCourse.Data;

namespace NormCourse.Tests.Training;

/// <summary>The embedded MNIST, loaded once for the tests that train on it.</summary>
public sealed class MnistFixture
{
    public DatasetSplit Data { get; } = Mnist.LoadEmbedded();
}

using NormCourse.Data;

namespace NormCourse.Tests.Lessons;

/// <summary>The embedded MNIST, flattened, loaded once per lesson test class.</summary>
public sealed class LessonMnist
{
    /// <summary>The embedded training and test sets, each example a 784-vector.</summary>
    public DatasetSplit Data { get; } = Mnist.LoadEmbedded().Flattened();
}

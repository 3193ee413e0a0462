using NormCourse.Tensors;

namespace NormCourse.Layers;

/// <summary>The gradient-shape check every layer's <c>Backward</c> repeats, with a message naming both shapes.</summary>
internal static class ShapeCheck
{
    /// <summary>
    /// Throws unless the gradient handed to <c>Backward</c> has the shape of the output the last
    /// <c>Forward</c> produced: a mismatch means the caller mixed up two steps or two layers.
    /// </summary>
    public static void SameAsOutput<T>(Tensor<T> gradOutput, ReadOnlySpan<int> outputShape, string layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!gradOutput.HasShape(outputShape))
            throw new ArgumentException(
                $"{layer}.Backward expects a gradient shaped like its last output {Tensor<T>.FormatShape(outputShape)}, got {gradOutput.ShapeString}.",
                nameof(gradOutput));
    }
}

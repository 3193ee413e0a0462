using NormCourse.Tensors;

namespace NormCourse.Layers;

/// <summary>The shape checks every layer repeats, with messages that name the layer, the expected and the actual shape.</summary>
internal static class ShapeCheck
{
    /// <summary>
    /// Throws unless <paramref name="input"/> has rank <paramref name="rank"/>; <paramref name="layer"/> names the
    /// layer (<c>MaxPool2d(2)</c>) and <paramref name="expected"/> the shape it wants (<c>(N, C, H, W)</c>).
    /// </summary>
    public static void Rank<T>(Tensor<T> input, int rank, string layer, string expected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (input.Rank != rank)
            throw new ArgumentException($"{layer} expects input {expected}, got {input.ShapeString}.", nameof(input));
    }

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

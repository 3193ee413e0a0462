using NormCourse.Tensors;

namespace NormCourse.Normalization;

/// <summary>The argument and input checks the normalization layers share, with PyTorch's messages.</summary>
internal static class NormalizationChecks
{
    public static double PositiveEps(double eps) =>
        eps > 0 && double.IsFinite(eps)
            ? eps
            : throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be a positive, finite number.");

    public static int PositiveCount(int value, string name) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");

    /// <summary>
    /// F.batch_norm's <c>_verify_batch_size</c>: a statistic over one value is no statistic (its variance is 0
    /// and x̂ is 0 whatever x is), so PyTorch refuses it whenever batch statistics are used.
    /// </summary>
    public static void MoreThanOneValuePerChannel<T>(Tensor<T> input, ChannelLayout layout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (layout.CountPerChannel <= 1)
            throw new ArgumentException(
                $"Expected more than 1 value per channel when training, got input size {input.ShapeString}.", nameof(input));
    }

    /// <summary>
    /// A NaN or infinity in the input makes its statistic NaN; say where, before it spreads. The statistics given
    /// are numbers <paramref name="firstIndex"/> onwards (a block of channels). The layer is named (its ToString) only when throwing, so the check allocates nothing on the hot path.
    /// </summary>
    public static void FiniteStatistics(object layer, string unit, ReadOnlySpan<double> mean, ReadOnlySpan<double> variance, int firstIndex = 0)
    {
        // A sum is finite only if every term is, so one vectorized sum first and the search for the culprit only when it
        // is not (finite terms whose sum overflows send it searching too, and it finds none).
        if (double.IsFinite(TensorPrimitives.Sum(mean) + TensorPrimitives.Sum(variance))) return;
        for (int c = 0; c < mean.Length; c++)
            if (!double.IsFinite(mean[c]) || !double.IsFinite(variance[c]))
                throw new ArgumentException(
                    $"{layer}: the input's statistics for {unit} {firstIndex + c} are not finite (mean {mean[c]}, variance {variance[c]}); " +
                    "the input holds NaN or infinity there.", "input");
    }

    /// <summary>Module's RequireCache message, without formatting the layer's name unless it is needed.</summary>
    public static InvalidOperationException BackwardBeforeForward(object layer) =>
        new($"{layer}.Backward was called before Forward.");

    /// <summary>
    /// Checks that the input ends in <paramref name="normalizedShape"/> (LayerNorm, RMSNorm) and returns how many
    /// rows of that shape it holds.
    /// </summary>
    public static int TrailingRows<T>(Tensor<T> input, ReadOnlySpan<int> normalizedShape, string layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool ok = input.Rank >= normalizedShape.Length;
        for (int k = 1; ok && k <= normalizedShape.Length; k++) ok = input.Dim(-k) == normalizedShape[^k];
        if (!ok)
            throw new ArgumentException(
                $"{layer}: Given normalized_shape={Tensor<T>.FormatShape(normalizedShape)}, expected input with shape (*, " +
                $"{string.Join(", ", normalizedShape.ToArray())}), but got input of size {input.ShapeString}.", nameof(input));
        int d = 1;
        foreach (int s in normalizedShape) d *= s;
        return input.Length / d;
    }

    /// <summary>Checks a normalized shape and returns the number of values it holds.</summary>
    public static int NormalizedSize(int[] normalizedShape)
    {
        if (normalizedShape.Length == 0 || normalizedShape.Any(d => d <= 0))
            throw new ArgumentException(
                $"normalized_shape must be non-empty and positive, got {Tensor<double>.FormatShape(normalizedShape)}.", nameof(normalizedShape));
        return normalizedShape.Aggregate(1, (a, b) => a * b);
    }
}

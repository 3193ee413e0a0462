using NormCourse.Tensors;

namespace NormCourse.Tests.Layers;

/// <summary>Seeded random inputs for the layer tests.</summary>
internal static class LayerTestData
{
    /// <summary>
    /// The finite-difference step for layers whose output is linear in each single value perturbed (Linear, Conv2d,
    /// AvgPool2d: bilinear in input and weight). There the central difference has no truncation error at any step,
    /// and its only error is rounding, about ε·|L|/h: at the checker's default h = 1e-6 that is ~1e-10 absolute,
    /// which already reaches 1e-7 relative for gradients near the checker's floor (a thousandth of the largest).
    /// h = 1e-3 keeps the check exact and the rounding a thousand times smaller.
    /// </summary>
    public const double LinearStep = 1e-3;

    /// <summary>Values drawn uniformly from [−1, 1).</summary>
    public static Tensor<double> Uniform(int seed, params int[] shape)
    {
        var t = Tensor<double>.Zeros(shape);
        Init.Uniform(t, -1, 1, new Random(seed));
        return t;
    }

    /// <summary>
    /// Values with 0.1 ≤ |x| &lt; 1.1 and a random sign: kinks at 0 (ReLU) stay far from the finite-difference step.
    /// </summary>
    public static Tensor<double> AwayFromZero(int seed, params int[] shape)
    {
        var t = Uniform(seed, shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = s[i] >= 0 ? 0.1 + s[i] : -0.1 + s[i];
        return t;
    }
}

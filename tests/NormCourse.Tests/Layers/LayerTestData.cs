using NormCourse.Tensors;

namespace NormCourse.Tests.Layers;

/// <summary>Seeded random inputs for the layer tests.</summary>
internal static class LayerTestData
{
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

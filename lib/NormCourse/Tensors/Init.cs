using MathNet.Numerics.Distributions;

namespace NormCourse.Tensors;

/// <summary>
/// Seeded random initialisation, with PyTorch's <c>torch.nn.init</c> names. Every function takes the
/// <see cref="Random"/> to draw from, so the same seed gives the same numbers, bit for bit.
/// </summary>
public static class Init
{
    /// <summary>Fills with values drawn uniformly from [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static void Uniform<T>(Tensor<T> tensor, double low, double high, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var span = tensor.Span;
        for (int i = 0; i < span.Length; i++) span[i] = T.CreateChecked(low + (high - low) * random.NextDouble());
    }

    /// <summary>Fills with draws from N(<paramref name="mean"/>, <paramref name="std"/>²).</summary>
    public static void Normal<T>(Tensor<T> tensor, double mean, double std, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var span = tensor.Span;
        for (int i = 0; i < span.Length; i++) span[i] = T.CreateChecked(MathNet.Numerics.Distributions.Normal.Sample(random, mean, std));
    }

    /// <summary>Glorot &amp; Bengio 2010: U(−a, a) with a = gain·√(6/(fanIn+fanOut)).</summary>
    public static void XavierUniform<T>(Tensor<T> tensor, int fanIn, int fanOut, Random random, double gain = 1.0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double a = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        Uniform(tensor, -a, a, random);
    }

    /// <summary>Glorot &amp; Bengio 2010: N(0, σ²) with σ = gain·√(2/(fanIn+fanOut)).</summary>
    public static void XavierNormal<T>(Tensor<T> tensor, int fanIn, int fanOut, Random random, double gain = 1.0)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Normal(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), random);

    /// <summary>He et al. 2015: U(−b, b) with b = gain·√(3/fanIn); gain √2 suits ReLU.</summary>
    public static void KaimingUniform<T>(Tensor<T> tensor, int fanIn, Random random, double gain = 1.4142135623730951)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double b = gain * Math.Sqrt(3.0 / fanIn);
        Uniform(tensor, -b, b, random);
    }

    /// <summary>He et al. 2015: N(0, σ²) with σ = gain/√fanIn; gain √2 suits ReLU.</summary>
    public static void KaimingNormal<T>(Tensor<T> tensor, int fanIn, Random random, double gain = 1.4142135623730951)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Normal(tensor, 0, gain / Math.Sqrt(fanIn), random);
}

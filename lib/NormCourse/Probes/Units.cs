using NormCourse.Tensors;

namespace NormCourse.Probes;

/// <summary>
/// The values of one unit of a layer's output across a minibatch: feature j of an (N, F) tensor, or channel c
/// of an (N, C, H, W) tensor over N·H·W positions — the same grouping BatchNorm1d and BatchNorm2d use.
/// </summary>
internal static class Units
{
    /// <summary>The number of units: F or C.</summary>
    public static int Count(Tensor<float> t) => t.Rank >= 2 ? t.Dim(1) : throw new ArgumentException(
        $"A layer output of shape {t.ShapeString} has no unit axis; expected (N, F) or (N, C, …).");

    /// <summary>How many values each unit has in <paramref name="t"/>: N, or N·H·W.</summary>
    public static int ValuesPerUnit(Tensor<float> t) => t.Length / Count(t);

    /// <summary>Copies unit <paramref name="unit"/>'s values into <paramref name="destination"/> (length <see cref="ValuesPerUnit"/>).</summary>
    public static void Copy(Tensor<float> t, int unit, Span<double> destination)
    {
        int units = Count(t);
        if ((uint)unit >= (uint)units)
            throw new ArgumentOutOfRangeException(nameof(unit), unit, $"The layer output {t.ShapeString} has {units} units.");
        int inner = t.Length / (t.Dim(0) * units); // H·W, or 1
        var data = t.Span;
        int k = 0;
        for (int n = 0; n < t.Dim(0); n++)
        {
            int start = (n * units + unit) * inner;
            for (int i = 0; i < inner; i++) destination[k++] = data[start + i];
        }
    }

    /// <summary>Mean and unbiased variance (divisor m − 1, as PyTorch's running variance) of each unit.</summary>
    public static (double[] Mean, double[] Var) MeanAndUnbiasedVar(Tensor<float> t)
    {
        int units = Count(t), m = ValuesPerUnit(t);
        var mean = new double[units];
        var variance = new double[units];
        var values = new double[m];
        for (int u = 0; u < units; u++)
        {
            Copy(t, u, values);
            double mu = values.Average();
            double ss = 0;
            foreach (double v in values) ss += (v - mu) * (v - mu);
            mean[u] = mu;
            variance[u] = m > 1 ? ss / (m - 1) : double.NaN;
        }
        return (mean, variance);
    }
}

using NormCourse.Tensors;

namespace NormCourse.Data;

/// <summary>
/// Standardises features as x' = (x − μ) / σ with μ and σ fitted on a training set only and then applied,
/// unchanged, to any other set — fitting on the test set would leak it into training.
/// </summary>
/// <remarks>
/// σ is the population standard deviation (divide by N), as scikit-learn's StandardScaler uses. A feature that
/// never varies in the training set (MNIST's corner pixels are always 0) gets σ = 1, so it maps to a constant
/// instead of dividing by zero.
/// </remarks>
public sealed class Standardizer
{
    // Below this, a feature counts as constant.
    private const double ConstantStd = 1e-8;

    private readonly float[] _mean;
    private readonly float[] _std;

    private Standardizer(StandardizeMode mode, float[] mean, float[] std)
    {
        Mode = mode;
        _mean = mean;
        _std = std;
    }

    /// <summary>Per feature or global.</summary>
    public StandardizeMode Mode { get; }

    /// <summary>The fitted means: one per feature, or a single one for <see cref="StandardizeMode.Global"/>.</summary>
    public IReadOnlyList<float> Mean => _mean;

    /// <summary>The fitted standard deviations (1 where a feature is constant), matching <see cref="Mean"/>.</summary>
    public IReadOnlyList<float> Std => _std;

    /// <summary>Fits μ and σ on the features of <paramref name="train"/>.</summary>
    public static Standardizer Fit(LabeledDataset train, StandardizeMode mode = StandardizeMode.PerFeature)
    {
        ArgumentNullException.ThrowIfNull(train);
        return Fit(train.Features, mode);
    }

    /// <summary>Fits μ and σ on features of shape (N, …); sums run in double precision.</summary>
    /// <exception cref="ArgumentException">There are no examples.</exception>
    public static Standardizer Fit(Tensor<float> features, StandardizeMode mode = StandardizeMode.PerFeature)
    {
        ArgumentNullException.ThrowIfNull(features);
        int n = features.Dim(0);
        if (n == 0) throw new ArgumentException("Cannot fit a standardizer on zero examples.", nameof(features));
        int d = features.Length / n;
        int groups = mode == StandardizeMode.Global ? 1 : d;
        var sum = new double[groups];
        var sumSq = new double[groups];
        var x = features.Span;
        for (int i = 0; i < n; i++)
        {
            var row = x.Slice(i * d, d);
            for (int j = 0; j < d; j++)
            {
                int g = groups == 1 ? 0 : j;
                double v = row[j];
                sum[g] += v;
                sumSq[g] += v * v;
            }
        }
        double count = groups == 1 ? (double)n * d : n;
        var mean = new float[groups];
        var std = new float[groups];
        for (int g = 0; g < groups; g++)
        {
            double m = sum[g] / count;
            double var = Math.Max(0, sumSq[g] / count - m * m);
            double s = Math.Sqrt(var);
            mean[g] = (float)m;
            std[g] = s < ConstantStd ? 1f : (float)s;
        }
        return new Standardizer(mode, mean, std);
    }

    /// <summary>A new tensor (x − μ) / σ of the same shape; (N, …) with the fitted number of features.</summary>
    /// <exception cref="ArgumentException">The number of features differs from the fitted one.</exception>
    public Tensor<float> Transform(Tensor<float> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var result = features.Clone();
        TransformInPlace(result);
        return result;
    }

    /// <summary>The same examples and labels with standardised (copied) features.</summary>
    public LabeledDataset Transform(LabeledDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.WithFeatures(Transform(data.Features));
    }

    /// <summary>Replaces x by (x − μ) / σ in place.</summary>
    public void TransformInPlace(Tensor<float> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        int n = features.Dim(0);
        int d = n == 0 ? 0 : features.Length / n;
        if (Mode == StandardizeMode.PerFeature && n > 0 && d != _mean.Length)
            throw new ArgumentException($"The standardizer was fitted on {_mean.Length} features, got {d} per example.", nameof(features));
        var x = features.Span;
        for (int i = 0; i < n; i++)
        {
            var row = x.Slice(i * d, d);
            if (Mode == StandardizeMode.Global)
            {
                TensorPrimitives.Subtract(row, _mean[0], row);
                TensorPrimitives.Divide(row, _std[0], row);
            }
            else
            {
                TensorPrimitives.Subtract(row, _mean, row);
                TensorPrimitives.Divide(row, _std, row);
            }
        }
    }
}

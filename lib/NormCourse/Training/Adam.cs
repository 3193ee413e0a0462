using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Training;

/// <summary>
/// Adam (Kingma &amp; Ba 2015), as <c>torch.optim.Adam</c> with L2 weight decay added to the gradient:
/// g ← ∇θ + λθ; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
/// θ ← θ − η·(m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε).
/// </summary>
public sealed class Adam<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T>[] _m;
    private readonly Tensor<T>[] _v;
    private int _t;

    /// <summary>β₁, the first-moment decay.</summary>
    public double Beta1 { get; }

    /// <summary>β₂, the second-moment decay.</summary>
    public double Beta2 { get; }

    /// <summary>ε, added to the denominator.</summary>
    public double Eps { get; }

    /// <summary>The L2 weight-decay coefficient λ added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Creates the optimizer over <paramref name="parameters"/> with PyTorch's defaults.</summary>
    public Adam(IEnumerable<Parameter<T>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "β₁ must be in [0, 1).");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "β₂ must be in [0, 1).");
        RequireNonNegative(eps, nameof(eps));
        RequireNonNegative(weightDecay, nameof(weightDecay));
        (Beta1, Beta2, Eps, WeightDecay) = (beta1, beta2, eps, weightDecay);
        _m = [.. Parameters.Select(p => Tensor<T>.Zeros(p.Value.Shape.ToArray()))];
        _v = [.. Parameters.Select(p => Tensor<T>.Zeros(p.Value.Shape.ToArray()))];
    }

    /// <inheritdoc />
    public override void Step()
    {
        _t++;
        T b1 = T.CreateChecked(Beta1), b2 = T.CreateChecked(Beta2), wd = T.CreateChecked(WeightDecay), eps = T.CreateChecked(Eps);
        // The bias corrections in float64, then folded into the step size and the denominator as PyTorch does.
        T stepSize = T.CreateChecked(LearningRate / (1 - Math.Pow(Beta1, _t)));
        T sqrtCorrection2 = T.CreateChecked(Math.Sqrt(1 - Math.Pow(Beta2, _t)));
        for (int i = 0; i < Parameters.Count; i++)
        {
            var theta = Parameters[i].Value.Span;
            var grad = Parameters[i].Grad.Span;
            var m = _m[i].Span;
            var v = _v[i].Span;
            for (int j = 0; j < theta.Length; j++)
            {
                T g = grad[j] + wd * theta[j];
                m[j] = b1 * m[j] + (T.One - b1) * g;
                v[j] = b2 * v[j] + (T.One - b2) * g * g;
                theta[j] -= stepSize * m[j] / (T.Sqrt(v[j]) / sqrtCorrection2 + eps);
            }
        }
    }
}

using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Training;

/// <summary>
/// Stochastic gradient descent with optional momentum and L2 weight decay, as <c>torch.optim.SGD</c>
/// (dampening 0): g ← ∇θ + λθ; b ← μb + g (b ← g on the first step); θ ← θ − η·b
/// (with Nesterov: θ ← θ − η·(g + μb)).
/// </summary>
public sealed class Sgd<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T>?[] _momentumBuffers;

    /// <summary>The momentum coefficient μ (0: plain SGD).</summary>
    public double Momentum { get; }

    /// <summary>The L2 weight-decay coefficient λ added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>True for Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    public Sgd(IEnumerable<Parameter<T>> parameters, double learningRate, double momentum = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, learningRate)
    {
        RequireNonNegative(momentum, nameof(momentum));
        RequireNonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && momentum == 0) throw new ArgumentException("Nesterov momentum needs a momentum > 0.", nameof(nesterov));
        Momentum = momentum;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        _momentumBuffers = new Tensor<T>?[Parameters.Count];
    }

    /// <inheritdoc />
    public override void Step()
    {
        T lr = T.CreateChecked(LearningRate), mu = T.CreateChecked(Momentum), wd = T.CreateChecked(WeightDecay);
        for (int i = 0; i < Parameters.Count; i++)
        {
            var theta = Parameters[i].Value.Span;
            var grad = Parameters[i].Grad.Span;
            // PyTorch starts the momentum buffer at the first gradient rather than at zero.
            bool first = _momentumBuffers[i] is null;
            var buffer = Momentum == 0 ? default : (_momentumBuffers[i] ??= Tensor<T>.Zeros(Parameters[i].Value.Shape.ToArray())).Span;
            if (WeightDecay == 0 && !Nesterov)
            {
                // The common cases as whole-vector operations (the same products and sums as the loop below, in the
                // same order, so the same numbers): θ ← θ − η·∇θ, or b ← μb + ∇θ then θ ← θ − η·b.
                if (Momentum != 0)
                {
                    if (first) grad.CopyTo(buffer);
                    else TensorPrimitives.MultiplyAdd(buffer, mu, grad, buffer);
                }
                InPlace.AddScaled(theta, Momentum == 0 ? grad : buffer, -lr);
                continue;
            }
            for (int j = 0; j < theta.Length; j++)
            {
                T g = grad[j] + wd * theta[j];
                if (Momentum != 0)
                {
                    buffer[j] = first ? g : mu * buffer[j] + g;
                    g = Nesterov ? g + mu * buffer[j] : buffer[j];
                }
                theta[j] -= lr * g;
            }
        }
    }
}

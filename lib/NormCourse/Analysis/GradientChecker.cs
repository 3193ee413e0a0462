using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Analysis;

/// <summary>
/// Checks a module's <c>Backward</c> against central differences in float64.
/// The scalar checked is L = Σᵢ wᵢ·yᵢ for a fixed random weighting w, so ∂L/∂y = w is a generic upstream
/// gradient (a plain Σy would hide errors: for BatchNorm its input gradient is exactly zero).
/// ∂L/∂θ is estimated for every input value and every parameter value by the fourth-order central difference
/// (−L(θ+2h) + 8L(θ+h) − 8L(θ−h) + L(θ−2h)) / 12h, whose truncation error is O(h⁴) rather than the plain
/// (L(θ+h) − L(θ−h))/2h's O(h²): with h = 1e-4 both that error and the rounding error stay near 1e-12, so a
/// relative error of 1e-7 means a wrong formula, not a noisy estimate.
/// </summary>
public static class GradientChecker
{
    /// <summary>
    /// Perturbs every value of <paramref name="input"/> and of each parameter of <paramref name="module"/>
    /// and returns the worst relative error |a − n| / max(|a|, |n|, floor), where the floor is a thousandth of
    /// the largest gradient of that tensor, so values that are zero by symmetry do not divide by nothing.
    /// </summary>
    /// <remarks>
    /// Forward is re-run for every perturbation, so a module in training mode whose forward has side effects
    /// (BatchNorm's running statistics) has them many times; the outputs it returns must not depend on them.
    /// </remarks>
    public static GradientCheckResult Check(Module<double> module, Tensor<double> input, int seed = 0, double step = 1e-4)
    {
        var x = input.Clone();
        var y = module.Forward(x);
        var weights = Tensor<double>.Zeros(y.Shape.ToArray());
        Init.Uniform(weights, -1, 1, new Random(seed));
        module.ZeroGrad();
        var analyticInput = module.Backward(weights).Clone();

        double Loss() => TensorPrimitives.Dot<double>(module.Forward(x).Span, weights.Span);

        var worst = new GradientCheckResult(0, "input", 0, 0, 0, 0);
        int count = 0;
        worst = Compare("input", x.Span, analyticInput.Span, Loss, step, worst, ref count);
        foreach (var (name, parameter) in module.NamedParameters().ToList())
            worst = Compare(name, parameter.Value.Span, parameter.Grad.Span, Loss, step, worst, ref count);
        return worst with { ValuesChecked = count };
    }

    private static GradientCheckResult Compare(string name, Span<double> values, ReadOnlySpan<double> analytic,
        Func<double> loss, double step, GradientCheckResult worst, ref int count)
    {
        var numeric = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double original = values[i];
            numeric[i] = (-LossAt(values, i, original + 2 * step, loss) + 8 * LossAt(values, i, original + step, loss)
                          - 8 * LossAt(values, i, original - step, loss) + LossAt(values, i, original - 2 * step, loss)) / (12 * step);
            values[i] = original;
        }
        // MaxMagnitude returns the signed value of largest magnitude: its absolute value is the largest gradient.
        double floor = 1e-3 * Math.Max(Math.Abs(TensorPrimitives.MaxMagnitude<double>(numeric)), 1e-300);
        for (int i = 0; i < values.Length; i++)
        {
            double error = Math.Abs(analytic[i] - numeric[i]) / Math.Max(Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric[i])), floor);
            if (error > worst.MaxRelativeError || double.IsNaN(error))
                worst = new GradientCheckResult(error, name, i, analytic[i], numeric[i], 0);
        }
        count += values.Length;
        return worst;
    }

    private static double LossAt(Span<double> values, int index, double value, Func<double> loss)
    {
        values[index] = value;
        return loss();
    }
}

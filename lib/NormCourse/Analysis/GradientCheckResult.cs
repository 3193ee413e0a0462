namespace NormCourse.Analysis;

/// <summary>
/// The worst disagreement a gradient check found between the analytic gradient (from <c>Backward</c>)
/// and the central-difference estimate.
/// </summary>
/// <param name="MaxRelativeError">The largest relative error over every checked value.</param>
/// <param name="Where">What it was the gradient of: <c>input</c> or a parameter's name.</param>
/// <param name="Index">The flat index of that value.</param>
/// <param name="Analytic">The gradient <c>Backward</c> gave there.</param>
/// <param name="Numeric">The central-difference estimate there.</param>
/// <param name="ValuesChecked">How many values were perturbed.</param>
public sealed record GradientCheckResult(
    double MaxRelativeError, string Where, int Index, double Analytic, double Numeric, int ValuesChecked)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"worst relative error {MaxRelativeError:E2} at {Where}[{Index}] (analytic {Analytic:G10}, numeric {Numeric:G10}; {ValuesChecked} values checked)";
}

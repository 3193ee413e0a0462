namespace NormCourse.Probes;

/// <summary>One parameter's gradient and update size at one update (Karpathy's diagnostics).</summary>
/// <param name="Step">The update's index.</param>
/// <param name="Parameter">The parameter's name in the model, e.g. <c>0.weight</c>.</param>
/// <param name="GradNorm">‖∇θ‖₂.</param>
/// <param name="GradStd">The standard deviation of the gradient's values (divisor n).</param>
/// <param name="DataStd">The standard deviation of the parameter's values before the update.</param>
/// <param name="UpdateToData">std(θ_after − θ_before) / std(θ_before): the actual update's size relative to the
/// values (Karpathy's lr·std(∇θ)/std(θ) for plain SGD; ~1e-3 is healthy). Infinite when the values are all equal.</param>
public sealed record GradientRecord(int Step, string Parameter, double GradNorm, double GradStd, double DataStd, double UpdateToData);

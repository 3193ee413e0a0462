namespace NormCourse.Probes;

/// <summary>The values of one parameter at one update, for following γ and β over training.</summary>
/// <param name="Step">The update's index (values as used by that update's forward pass).</param>
/// <param name="Parameter">The parameter's name, e.g. <c>1.weight</c> (γ) or <c>1.bias</c> (β).</param>
/// <param name="Values">A copy of the values.</param>
public sealed record ParameterSnapshot(int Step, string Parameter, float[] Values)
{
    /// <summary>The mean of the values.</summary>
    public double Mean => Moments.Mean(Values);

    /// <summary>The standard deviation of the values (divisor n).</summary>
    public double Std => Moments.Std(Values);
}

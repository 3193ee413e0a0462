namespace NormCourse.Models;

/// <summary>Where the normalization layer sits relative to the nonlinearity.</summary>
public enum NormPlacement
{
    /// <summary>Linear → norm → activation, as Ioffe &amp; Szegedy 2015 (normalize the nonlinearity's input).</summary>
    BeforeActivation,

    /// <summary>Linear → activation → norm (normalize the next layer's input).</summary>
    AfterActivation,
}

namespace NormCourse.Probes;

/// <summary>What a <see cref="LayerHistogram"/> counts.</summary>
public enum HistogramKind
{
    /// <summary>The layer's output values in the forward pass.</summary>
    Activation,

    /// <summary>∂loss/∂(layer output) in the backward pass.</summary>
    Gradient,
}

namespace NormCourse.Models;

/// <summary>Which normalization layer a model builder inserts.</summary>
public enum NormKind
{
    /// <summary>No normalization.</summary>
    None,

    /// <summary>BatchNorm1d after dense layers, BatchNorm2d after convolutions.</summary>
    BatchNorm,

    /// <summary>LayerNorm over the features.</summary>
    LayerNorm,

    /// <summary>RMSNorm over the features.</summary>
    RMSNorm,

    /// <summary>GroupNorm with the configured number of groups.</summary>
    GroupNorm,

    /// <summary>Batch Renormalization (BatchRenorm1d / BatchRenorm2d).</summary>
    BatchRenorm,
}

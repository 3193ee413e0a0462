namespace NormCourse.Models;

/// <summary>How a model builder initialises the weights of its dense and convolution layers.</summary>
public enum InitScheme
{
    /// <summary>PyTorch's default, W and b ~ U(−1/√fanIn, 1/√fanIn); the scale multiplies W.</summary>
    Default,

    /// <summary>W ~ N(0, scale²), b = 0: the "small random Gaussian" of Ioffe &amp; Szegedy §4.1 and CS231n's weight_scale.</summary>
    Normal,

    /// <summary>Glorot: W ~ N(0, (scale·√(2/(fanIn+fanOut)))²), b = 0.</summary>
    Xavier,

    /// <summary>He: W ~ N(0, (scale·√2/√fanIn)²), b = 0.</summary>
    Kaiming,
}

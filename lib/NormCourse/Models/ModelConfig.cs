using NormCourse.Layers;

namespace NormCourse.Models;

/// <summary>A network described as a value (<see cref="MlpConfig"/>, <see cref="LeNetConfig"/>), built on demand.</summary>
public abstract record ModelConfig
{
    /// <summary>Builds the network, drawing every initial value from <paramref name="seed"/>.</summary>
    public abstract Sequential<T> Build<T>(int seed) where T : unmanaged, IFloatingPointIeee754<T>;
}

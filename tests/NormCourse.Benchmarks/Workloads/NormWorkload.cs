using NormCourse.Layers;
using NormCourse.Normalization;
using NormCourse.Tensors;

namespace NormCourse.Benchmarks.Workloads;

/// <summary>
/// A normalization layer's training-mode forward and backward on fixed float32 data, as the anchor times it:
/// x and dy ~ N(0, 1); bytes counted as the anchor does, x read + y written forward, x and dy read + dx written backward.
/// </summary>
public sealed class NormWorkload : IWorkload
{
    private readonly Module<float> _layer;
    private readonly Tensor<float> _x, _dy;

    /// <summary>
    /// The layers and shapes the benchmarks cover, by key (the anchor's names where it has them). LayerNorm and RMSNorm
    /// also run on (64,1024), whose 256 KiB tensors stay in L2 between calls: there the arithmetic RMSNorm saves shows,
    /// which on (4096,1024), bound by the bytes both move, it hardly can.
    /// </summary>
    public static readonly string[] Keys =
    [
        "BatchNorm1d (256,1024)", "BatchNorm1d (4096,256)", "BatchNorm2d (32,16,28,28)", "BatchNorm2d (64,64,32,32)",
        "LayerNorm (4096,1024)", "RMSNorm (4096,1024)", "LayerNorm (64,1024)", "RMSNorm (64,1024)",
        "GroupNorm (32,64,28,28)", "BatchRenorm1d (256,1024)", "BatchRenorm2d (32,16,28,28)",
    ];

    /// <summary>Builds the workload named by one of <see cref="Keys"/>.</summary>
    public NormWorkload(string key)
    {
        var parts = key.Split(' ');
        Name = parts[0];
        Shape = parts[1];
        int[] shape = parts[1].Trim('(', ')').Split(',').Select(int.Parse).ToArray();
        _layer = Name switch
        {
            "BatchNorm1d" => new BatchNorm1d<float>(shape[1]),
            "BatchNorm2d" => new BatchNorm2d<float>(shape[1]),
            "LayerNorm" => new LayerNorm<float>(shape[^1]),
            "RMSNorm" => new RMSNorm<float>(shape[^1], eps: 1e-6),
            "GroupNorm" => new GroupNorm<float>(32, shape[1]),
            "BatchRenorm1d" => new BatchRenorm1d<float>(shape[1], rMax: 3, dMax: 5),
            "BatchRenorm2d" => new BatchRenorm2d<float>(shape[1], rMax: 3, dMax: 5),
            _ => throw new ArgumentException($"Unknown normalization workload '{key}'.", nameof(key)),
        };
        var random = new Random(7);
        _x = Tensor<float>.Zeros(shape);
        _dy = Tensor<float>.Zeros(shape);
        Init.Normal(_x, 0, 1, random);
        Init.Normal(_dy, 0, 1, random);
        Bytes = 5.0 * _x.Length * sizeof(float);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Shape { get; }

    /// <inheritdoc />
    public int Samples => 0;

    /// <inheritdoc />
    public double Bytes { get; }

    /// <inheritdoc />
    public double Flops => 0;

    /// <inheritdoc />
    public void Run()
    {
        _layer.Forward(_x);
        _layer.Backward(_dy);
    }
}

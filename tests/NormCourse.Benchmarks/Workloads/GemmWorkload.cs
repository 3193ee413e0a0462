using NormCourse.Tensors;

namespace NormCourse.Benchmarks.Workloads;

/// <summary>
/// One float32 <see cref="Gemm.Multiply{T}"/> at a shape the §4.1 MLP uses (batch B): Linear's forward x·Wᵀ,
/// its weight gradient dyᵀ·x and its input gradient dy·W. 2·m·n·k flops.
/// </summary>
public sealed class GemmWorkload : IWorkload
{
    private readonly float[] _a, _b, _c;
    private readonly int _m, _n, _k;
    private readonly bool _transA, _transB;

    /// <summary>The cases, as <c>role B</c>: fwd784 (B×784 · 100×784ᵀ), dW784 (B×100ᵀ · B×784), dx784 (B×100 · 100×784), fwd100 (B×100 · 100×100ᵀ).</summary>
    public static readonly string[] Keys =
    [
        "fwd784 60", "dW784 60", "dx784 60", "fwd100 60", "fwd784 256", "dW784 256", "dx784 256", "fwd100 256",
    ];

    /// <summary>Builds the case named by one of <see cref="Keys"/>.</summary>
    public GemmWorkload(string key)
    {
        var parts = key.Split(' ');
        int batch = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        (_m, _n, _k, _transA, _transB) = parts[0] switch
        {
            "fwd784" => (batch, 100, 784, false, true),
            "dW784" => (100, 784, batch, true, false),
            "dx784" => (batch, 784, 100, false, false),
            "fwd100" => (batch, 100, 100, false, true),
            _ => throw new ArgumentException($"Unknown GEMM case '{key}'.", nameof(key)),
        };
        Name = "GEMM " + parts[0];
        Shape = $"({_m},{_n},{_k})";
        var random = new Random(3);
        _a = Enumerable.Range(0, _m * _k).Select(_ => random.NextSingle() - 0.5f).ToArray();
        _b = Enumerable.Range(0, _k * _n).Select(_ => random.NextSingle() - 0.5f).ToArray();
        _c = new float[_m * _n];
        Flops = 2.0 * _m * _n * _k;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Shape { get; }

    /// <inheritdoc />
    public int Samples => 0;

    /// <inheritdoc />
    public double Bytes => 0;

    /// <inheritdoc />
    public double Flops { get; }

    /// <inheritdoc />
    public void Run() => Gemm.Multiply<float>(_a, _transA, _b, _transB, _c, _m, _n, _k);
}

using NormCourse.Tensors;

namespace NormCourse.Layers;

/// <summary>
/// PyTorch's <c>nn.Flatten()</c> (start_dim=1): (N, d₁, d₂, …) → (N, d₁·d₂·…). No value moves: row-major
/// order already lays each sample's values out in a row, so the output shares the input's data.
/// </summary>
public sealed class Flatten<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private int[]? _inputShape;
    // The views are kept so a steady-state step reuses them instead of allocating new tensor objects.
    private Tensor<T>? _output;
    private Tensor<T>? _gradInput;

    /// <summary>(N, …) → (N, rest), sharing the input's data.</summary>
    /// <exception cref="ArgumentException">The input has no batch axis (rank 0).</exception>
    public override Tensor<T> Forward(Tensor<T> input)
    {
        if (input.Rank < 1)
            throw new ArgumentException($"Flatten expects input (N, …), got {input.ShapeString}.", nameof(input));
        if (_inputShape is null || !input.HasShape(_inputShape)) _inputShape = input.Shape.ToArray();
        int n = input.Shape[0];
        _output = View(_output, input, [n, n == 0 ? 0 : input.Length / n]);
        return _output;
    }

    /// <summary>The gradient reshaped back to the input's shape (sharing its data): flattening moves no value.</summary>
    public override Tensor<T> Backward(Tensor<T> gradOutput)
    {
        var output = RequireCache(_output, "Flatten");
        ShapeCheck.SameAsOutput(gradOutput, output.Shape, "Flatten");
        _gradInput = View(_gradInput, gradOutput, _inputShape);
        return _gradInput;
    }

    /// <summary><paramref name="source"/>'s data under <paramref name="shape"/>: the cached view when it already is that.</summary>
    private static Tensor<T> View(Tensor<T>? cached, Tensor<T> source, ReadOnlySpan<int> shape) =>
        cached is not null && cached.Data == source.Data && cached.HasShape(shape)
            ? cached
            : source.Reshape(shape.ToArray());

    /// <summary>As PyTorch prints it: <c>Flatten(start_dim=1, end_dim=-1)</c>.</summary>
    public override string ToString() => "Flatten(start_dim=1, end_dim=-1)";
}

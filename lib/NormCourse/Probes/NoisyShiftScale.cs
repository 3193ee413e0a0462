using MathNet.Numerics.Distributions;
using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Probes;

/// <summary>
/// "Noisy BN" (Santurkar et al. 2018 §2.1): placed after a normalization layer, it rescales and shifts the values by
/// random amounts drawn afresh on every training forward pass, y = s ⊙ x + b (see <see cref="NoiseSpec"/>) — per value,
/// or per unit with <see cref="NoiseSpec.PerUnit"/> — so the next layer's input distribution keeps moving: deliberate
/// internal covariate shift. Identity in evaluation mode. Backward: ∂L/∂x = s ⊙ ∂L/∂y. Shapes: any (per unit: (N, C, …),
/// units along dimension 1); output = input shape.
/// </summary>
public sealed class NoisyShiftScale<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Random _random;
    private Tensor<T>? _scale;
    private Tensor<T>? _output;
    private Tensor<T>? _gradInput;

    /// <summary>The noise distribution.</summary>
    public NoiseSpec Noise { get; }

    /// <summary>Creates the layer; <paramref name="random"/> supplies the noise.</summary>
    public NoisyShiftScale(NoiseSpec noise, Random random)
    {
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(random);
        if (noise.ScaleStd < 0 || noise.ShiftStd < 0) throw new ArgumentOutOfRangeException(nameof(noise), noise, "Noise standard deviations must be ≥ 0.");
        Noise = noise;
        _random = random;
    }

    /// <inheritdoc />
    public override Tensor<T> Forward(Tensor<T> input)
    {
        var scale = Tensor<T>.Reuse(ref _scale, input.Shape);
        var output = Tensor<T>.Reuse(ref _output, input.Shape);
        var x = input.Span;
        var s = scale.Span;
        var y = output.Span;
        if (IsTraining && Noise.PerUnit)
        {
            ForwardPerUnit(input, s, y);
            return output;
        }
        for (int i = 0; i < x.Length; i++)
        {
            if (!IsTraining)
            {
                s[i] = T.One;
                y[i] = x[i];
                continue;
            }
            s[i] = T.CreateChecked(Normal.Sample(_random, Noise.ScaleMean, Noise.ScaleStd));
            y[i] = s[i] * x[i] + T.CreateChecked(Normal.Sample(_random, Noise.ShiftMean, Noise.ShiftStd));
        }
        return output;
    }

    // One (s, b) per unit, shared by every sample and position of that unit: the unit's distribution moves as a whole.
    private void ForwardPerUnit(Tensor<T> input, Span<T> s, Span<T> y)
    {
        if (input.Rank < 2)
            throw new ArgumentException($"Per-unit noise needs an (N, C, …) input with units along dimension 1, got {input.ShapeString}.", nameof(input));
        int n = input.Shape[0], units = input.Shape[1];
        int inner = n * units == 0 ? 0 : input.Length / (n * units);
        var x = input.Span;
        for (int c = 0; c < units; c++)
        {
            var unitScale = T.CreateChecked(Normal.Sample(_random, Noise.ScaleMean, Noise.ScaleStd));
            var unitShift = T.CreateChecked(Normal.Sample(_random, Noise.ShiftMean, Noise.ShiftStd));
            for (int i = 0; i < n; i++)
                for (int k = 0, at = (i * units + c) * inner; k < inner; k++, at++)
                {
                    s[at] = unitScale;
                    y[at] = unitScale * x[at] + unitShift;
                }
        }
    }

    /// <inheritdoc />
    public override Tensor<T> Backward(Tensor<T> gradOutput)
    {
        var scale = RequireCache(_scale, nameof(NoisyShiftScale<T>));
        var gradInput = Tensor<T>.Reuse(ref _gradInput, gradOutput.Shape);
        TensorPrimitives.Multiply<T>(gradOutput.Span, scale.Span, gradInput.Span);
        return gradInput;
    }

    /// <inheritdoc />
    public override string ToString() => $"NoisyShiftScale({Noise})";
}

using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Tests.Probes;

/// <summary>y = w·x for a single learnable scalar w: small enough to differentiate by hand.</summary>
internal sealed class ScalarScale(double w) : Module<float>
{
    private Tensor<float>? _input;

    public Parameter<float> W { get; } = new(Tensor<float>.FromArray([(float)w], 1));

    public override Tensor<float> Forward(Tensor<float> input)
    {
        _input = input.Clone();
        var y = input.Clone();
        System.Numerics.Tensors.TensorPrimitives.Multiply(y.Span, W.Value.Span[0], y.Span);
        return y;
    }

    public override Tensor<float> Backward(Tensor<float> gradOutput)
    {
        var x = RequireCache(_input, nameof(ScalarScale));
        W.Grad.Span[0] += System.Numerics.Tensors.TensorPrimitives.Dot<float>(x.Span, gradOutput.Span);
        var g = gradOutput.Clone();
        System.Numerics.Tensors.TensorPrimitives.Multiply(g.Span, W.Value.Span[0], g.Span);
        return g;
    }

    public override IEnumerable<(string Name, Parameter<float> Parameter)> NamedParameters() => [("w", W)];
}

/// <summary>Identity with a parameter and BatchNorm-named running buffers, to exercise probes that read them.</summary>
internal sealed class FakeNorm(float[] weight, float[] runningMean, float[] runningVar) : Module<float>
{
    public Parameter<float> Weight { get; } = new(Tensor<float>.FromArray(weight, weight.Length));

    public Tensor<float> RunningMean { get; } = Tensor<float>.FromArray(runningMean, runningMean.Length);

    public Tensor<float> RunningVar { get; } = Tensor<float>.FromArray(runningVar, runningVar.Length);

    public override Tensor<float> Forward(Tensor<float> input) => input;

    public override Tensor<float> Backward(Tensor<float> gradOutput) => gradOutput;

    public override IEnumerable<(string Name, Parameter<float> Parameter)> NamedParameters() => [("weight", Weight)];

    public override IEnumerable<(string Name, Tensor<float> Buffer)> NamedBuffers() =>
        [("running_mean", RunningMean), ("running_var", RunningVar)];
}

using NormCourse.Analysis;
using NormCourse.Layers;
using NormCourse.Normalization;
using NormCourse.Tensors;

namespace NormCourse.Tests.Normalization;

/// <summary>Every normalization layer's Backward against central differences in float64.</summary>
public class NormalizationGradientTests
{
    private const double Tolerance = 1e-7;

    public static TheoryData<string, int[], bool, bool> Cases()
    {
        var data = new TheoryData<string, int[], bool, bool>();
        foreach (bool training in new[] { true, false })
            foreach (bool affine in new[] { true, false })
            {
                data.Add("BatchNorm1d", [5, 3], training, affine);
                data.Add("BatchNorm1d", [4, 3, 5], training, affine);
                data.Add("BatchNorm2d", [3, 2, 3, 4], training, affine);
                data.Add("LayerNorm", [4, 6], training, affine);
                data.Add("LayerNorm2", [3, 2, 5], training, affine);
                data.Add("RMSNorm", [4, 6], training, affine);
                data.Add("GroupNorm", [3, 6, 2, 2], training, affine);
                data.Add("GroupNorm1", [2, 4, 5], training, affine);
                data.Add("BatchRenorm1d", [6, 3], training, affine);
                data.Add("BatchRenorm2d", [3, 2, 3, 3], training, affine);
            }
        return data;
    }

    internal static Module<double> Make(string kind, int[] shape, bool affine) => kind switch
    {
        "BatchNorm1d" => new BatchNorm1d<double>(shape[1], affine: affine),
        "BatchNorm2d" => new BatchNorm2d<double>(shape[1], affine: affine),
        "LayerNorm" => new LayerNorm<double>(shape[^1], elementwiseAffine: affine),
        "LayerNorm2" => new LayerNorm<double>(shape[^2..], elementwiseAffine: affine),
        "RMSNorm" => new RMSNorm<double>(shape[^1], eps: 1e-6, elementwiseAffine: affine),
        "GroupNorm" => new GroupNorm<double>(3, shape[1], affine: affine),
        "GroupNorm1" => new GroupNorm<double>(1, shape[1], affine: affine),
        "BatchRenorm1d" => new BatchRenorm1d<double>(shape[1], affine: affine),
        "BatchRenorm2d" => new BatchRenorm2d<double>(shape[1], affine: affine),
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardMatchesCentralDifferences(string kind, int[] shape, bool training, bool affine)
    {
        var random = new Random(42);
        var layer = Make(kind, shape, affine);
        RandomizeParameters(layer, random);
        // Move running statistics away from their initial values so evaluation mode is not the identity.
        var x = Tensor<double>.Zeros(shape);
        for (int step = 0; step < 3; step++)
        {
            Init.Normal(x, 1.5, 2.0, random);
            layer.Forward(x);
        }
        if (!training) layer.Eval();
        if (layer is BatchRenorm<double> renorm) SaturateRenormalization(renorm);
        Init.Normal(x, 0.5, 3.0, random);

        var result = GradientChecker.Check(layer, x, seed: 7);

        Assert.True(result.MaxRelativeError < Tolerance, $"{layer}: {result}");
        Assert.True(result.ValuesChecked >= x.Length);
    }

    [Fact]
    public void TheCheckerCatchesAWrongBackward()
    {
        // A layer whose Backward drops BatchNorm's mean term must fail the same check.
        var layer = new WrongBatchNorm();
        var x = Tensor<double>.Zeros(6, 2);
        Init.Normal(x, 0, 1, new Random(1));
        Assert.True(GradientChecker.Check(layer, x).MaxRelativeError > 1e-3);
    }

    /// <summary>
    /// r and d are stop-gradient constants in Batch Renorm's backward, but functions of x in its forward, so
    /// central differences see their dependence unless it is absent. Here it is: the moving statistics are frozen
    /// (momentum 0) and so far from the batch's (σ = 0.1, μ = ±50) that r and d sit at their clipping bounds,
    /// r = rMax = 3 and d = ±dMax = ±2, constant under small perturbations. The r and d terms are then checked.
    /// The unclipped regime is checked against PyTorch autograd fixtures (Reference tests).
    /// </summary>
    private static void SaturateRenormalization(BatchRenorm<double> layer)
    {
        layer.Momentum = 0;
        layer.RMax = 3;
        layer.DMax = 2;
        for (int c = 0; c < layer.NumFeatures; c++)
        {
            layer.RunningStd.Span[c] = 0.1;
            layer.RunningMean.Span[c] = c % 2 == 0 ? 50 : -50;
        }
    }

    internal static void RandomizeParameters(Module<double> layer, Random random)
    {
        foreach (var p in layer.Parameters()) Init.Uniform(p.Value, 0.5, 1.5, random);
    }

    private sealed class WrongBatchNorm : Module<double>
    {
        private readonly BatchNorm1d<double> _inner = new(2);
        private Tensor<double>? _dy;

        public override Tensor<double> Forward(Tensor<double> input) => _inner.Forward(input);

        public override Tensor<double> Backward(Tensor<double> gradOutput)
        {
            // dx = γ·invstd·dy: the formula for constant statistics, wrong in training mode.
            _dy = gradOutput.Clone();
            var dx = _dy.Span;
            for (int i = 0; i < dx.Length; i++) dx[i] *= _inner.LastInvStd[i % 2];
            return _dy;
        }
    }
}

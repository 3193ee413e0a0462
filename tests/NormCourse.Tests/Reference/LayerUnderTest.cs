using System.Numerics;
using NormCourse.Layers;
using NormCourse.Normalization;
using NormCourse.Tensors;

namespace NormCourse.Tests.Reference;

/// <summary>
/// A normalization layer built from a fixture's config, with uniform access to what the fixtures record.
/// The layers share no interface for their buffers, so this adapter names them once.
/// </summary>
public sealed class LayerUnderTest<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The layer.</summary>
    public required Module<T> Module { get; init; }

    /// <summary>γ, or null when the layer has none.</summary>
    public Parameter<T>? Weight { get; init; }

    /// <summary>β, or null when the layer has none.</summary>
    public Parameter<T>? Bias { get; init; }

    /// <summary>Running (moving) mean, or null.</summary>
    public Func<Tensor<T>?> RunningMean { get; init; } = () => null;

    /// <summary>BatchNorm's running variance, or null.</summary>
    public Func<Tensor<T>?> RunningVar { get; init; } = () => null;

    /// <summary>Batch Renorm's moving standard deviation, or null.</summary>
    public Func<Tensor<T>?> RunningStd { get; init; } = () => null;

    /// <summary>The number of training batches seen, or null when the layer does not count them.</summary>
    public Func<long?> NumBatchesTracked { get; init; } = () => null;

    /// <summary>Sets Batch Renorm's r_max and d_max before a step; null for other layers.</summary>
    public Action<double, double>? SetClipping { get; init; }

    /// <summary>Builds the layer a fixture describes, with its initial weight and bias copied in.</summary>
    public static LayerUnderTest<T> Create(ReferenceFixture f)
    {
        var layer = f.Layer switch
        {
            "BatchNorm1d" => BatchNorm(new BatchNorm1d<T>(f.ConfigInt("num_features"), f.ConfigDouble("eps"),
                f.ConfigNullableDouble("momentum"), f.ConfigBool("affine"), f.ConfigBool("track_running_stats"))),
            "BatchNorm2d" => BatchNorm(new BatchNorm2d<T>(f.ConfigInt("num_features"), f.ConfigDouble("eps"),
                f.ConfigNullableDouble("momentum"), f.ConfigBool("affine"), f.ConfigBool("track_running_stats"))),
            "BatchRenorm1d" => BatchRenorm(new BatchRenorm1d<T>(f.ConfigInt("num_features"), f.ConfigDouble("eps"),
                f.ConfigDouble("momentum"), f.ConfigDouble("r_max"), f.ConfigDouble("d_max"), f.ConfigBool("affine"))),
            "BatchRenorm2d" => BatchRenorm(new BatchRenorm2d<T>(f.ConfigInt("num_features"), f.ConfigDouble("eps"),
                f.ConfigDouble("momentum"), f.ConfigDouble("r_max"), f.ConfigDouble("d_max"), f.ConfigBool("affine"))),
            "LayerNorm" => LayerNorm(new LayerNorm<T>(f.ConfigInts("normalized_shape"), f.ConfigDouble("eps"),
                f.ConfigBool("elementwise_affine"), f.ConfigBool("bias"))),
            // eps=None in the fixture is passed on as null: the layer's own default (finfo(T).eps) is under test.
            "RMSNorm" => RmsNorm(new RMSNorm<T>(f.ConfigInts("normalized_shape"), f.ConfigNullableDouble("eps"),
                f.ConfigBool("elementwise_affine"))),
            "GroupNorm" => GroupNorm(new GroupNorm<T>(f.ConfigInt("num_groups"), f.ConfigInt("num_channels"),
                f.ConfigDouble("eps"), f.ConfigBool("affine"))),
            _ => throw new InvalidDataException($"{f.Name}: unknown layer '{f.Layer}'."),
        };
        CopyInto(layer.Weight, f.Weight, f.Name, "weight");
        CopyInto(layer.Bias, f.Bias, f.Name, "bias");
        return layer;
    }

    private static LayerUnderTest<T> BatchNorm(BatchNorm<T> bn) => new()
    {
        Module = bn,
        Weight = bn.Weight,
        Bias = bn.Bias,
        RunningMean = () => bn.RunningMean,
        RunningVar = () => bn.RunningVar,
        NumBatchesTracked = () => bn.RunningMean is null ? null : bn.NumBatchesTracked,
    };

    private static LayerUnderTest<T> BatchRenorm(BatchRenorm<T> brn) => new()
    {
        Module = brn,
        Weight = brn.Weight,
        Bias = brn.Bias,
        RunningMean = () => brn.RunningMean,
        RunningStd = () => brn.RunningStd,
        NumBatchesTracked = () => brn.NumBatchesTracked,
        SetClipping = (rMax, dMax) =>
        {
            brn.RMax = rMax;
            brn.DMax = dMax;
        },
    };

    private static LayerUnderTest<T> LayerNorm(LayerNorm<T> ln) => new() { Module = ln, Weight = ln.Weight, Bias = ln.Bias };

    private static LayerUnderTest<T> RmsNorm(RMSNorm<T> rms) => new() { Module = rms, Weight = rms.Weight };

    private static LayerUnderTest<T> GroupNorm(GroupNorm<T> gn) => new() { Module = gn, Weight = gn.Weight, Bias = gn.Bias };

    private static void CopyInto(Parameter<T>? parameter, FixtureTensor? value, string fixture, string name)
    {
        if (value is null)
        {
            Assert.True(parameter is null, $"{fixture}: PyTorch's layer has no {name}, but the C# layer has one.");
            return;
        }
        Assert.True(parameter is not null, $"{fixture}: PyTorch's layer has a {name}, but the C# layer has none.");
        Assert.True(parameter.Value.Length == value.Data.Length,
            $"{fixture}: {name} has {parameter.Value.Length} values, PyTorch's has {value.Data.Length}.");
        var span = parameter.Value.Span;
        for (int i = 0; i < span.Length; i++) span[i] = T.CreateChecked(value.Data[i]);
    }
}

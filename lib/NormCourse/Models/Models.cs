using NormCourse.Layers;
using NormCourse.Normalization;
using NormCourse.Probes;
using NormCourse.Tensors;

namespace NormCourse.Models;

/// <summary>
/// Builders for the networks the lessons compare. Every builder draws all its random numbers from one seeded
/// <see cref="Random"/>, layer by layer in order, so the same configuration and seed give the same network bit for bit.
/// </summary>
public static class Models
{
    /// <summary>
    /// Ioffe &amp; Szegedy 2015 §4.1's MNIST network in one line: 784-100-100-100-10, sigmoid, weights
    /// ~ N(0, <paramref name="initStd"/>²), with BatchNorm before each sigmoid when <paramref name="batchNorm"/> is true.
    /// The hidden layers keep their bias either way so that the two networks differ only by BN.
    /// </summary>
    public static Sequential<float> IoffeSzegedyMnist(bool batchNorm = true, int seed = 0, double initStd = 0.1) =>
        Mlp<float>(IoffeSzegedyConfig(batchNorm, initStd), seed);

    /// <summary>The configuration behind <see cref="IoffeSzegedyMnist"/>, for sweeps that vary it.</summary>
    public static MlpConfig IoffeSzegedyConfig(bool batchNorm = true, double initStd = 0.1) => new([784, 100, 100, 100, 10])
    {
        Activation = Activation.Sigmoid,
        Norm = batchNorm ? NormKind.BatchNorm : NormKind.None,
        Placement = NormPlacement.BeforeActivation,
        Init = InitScheme.Normal,
        InitScale = initStd,
    };

    /// <summary>Builds the MLP described by <paramref name="config"/>, initialised from <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">The configuration is inconsistent (fewer than two sizes, GroupNorm groups that do not divide a width, …).</exception>
    public static Sequential<T> Mlp<T>(MlpConfig config, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(config);
        var sizes = config.LayerSizes;
        if (sizes is null || sizes.Count < 2) throw new ArgumentException("An MLP needs at least an input and an output size.", nameof(config));
        foreach (int s in sizes) if (s <= 0) throw new ArgumentException($"Layer sizes must be positive, got {string.Join("-", sizes)}.", nameof(config));
        if (!(config.Dropout >= 0 && config.Dropout < 1)) throw new ArgumentException($"Dropout must be in [0, 1), got {config.Dropout}.", nameof(config));
        var random = new Random(seed);
        var model = new Sequential<T>();
        for (int i = 0; i + 1 < sizes.Count; i++)
        {
            bool hidden = i + 2 < sizes.Count;
            var linear = new Linear<T>(sizes[i], sizes[i + 1], random, bias: !hidden || config.Bias);
            Initialise(linear.Weight, linear.Bias, sizes[i], sizes[i + 1], config.Init, config.InitScale, random);
            model.Add(linear);
            if (!hidden) break;
            int width = sizes[i + 1];
            if (config.Placement == NormPlacement.BeforeActivation) AddNorm(model, config, width, random);
            model.Add(ActivationLayer<T>(config.Activation));
            if (config.Placement == NormPlacement.AfterActivation) AddNorm(model, config, width, random);
            if (config.Dropout > 0) model.Add(new Dropout<T>(config.Dropout, random));
        }
        return model;
    }

    /// <summary>Builds the LeNet described by <paramref name="config"/>, initialised from <paramref name="seed"/>; input (N, 1, 28, 28).</summary>
    public static Sequential<T> LeNet<T>(LeNetConfig config, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Norm is not (NormKind.None or NormKind.BatchNorm or NormKind.GroupNorm))
            throw new ArgumentException($"LeNet supports no norm, BatchNorm or GroupNorm, not {config.Norm}.", nameof(config));
        var random = new Random(seed);
        var model = new Sequential<T>();
        void Conv(int inChannels, int outChannels, int padding)
        {
            var conv = new Conv2d<T>(inChannels, outChannels, 5, random, padding: padding, bias: config.Bias);
            Initialise(conv.Weight, conv.Bias, inChannels * 25, outChannels * 25, config.Init, config.InitScale, random);
            model.Add(conv);
            if (config.Norm == NormKind.BatchNorm) model.Add(new BatchNorm2d<T>(outChannels));
            if (config.Norm == NormKind.GroupNorm) model.Add(new GroupNorm<T>(config.Groups, outChannels));
            model.Add(ActivationLayer<T>(config.Activation));
            model.Add(new AvgPool2d<T>(2));
        }
        void Dense(int inFeatures, int outFeatures, bool hidden)
        {
            var linear = new Linear<T>(inFeatures, outFeatures, random, bias: !hidden || config.Bias);
            Initialise(linear.Weight, linear.Bias, inFeatures, outFeatures, config.Init, config.InitScale, random);
            model.Add(linear);
            if (!hidden) return;
            if (config.Norm == NormKind.BatchNorm) model.Add(new BatchNorm1d<T>(outFeatures));
            if (config.Norm == NormKind.GroupNorm) model.Add(new GroupNorm<T>(config.Groups, outFeatures));
            model.Add(ActivationLayer<T>(config.Activation));
        }
        Conv(1, 6, padding: 2);   // (N, 6, 28, 28) → pool → (N, 6, 14, 14)
        Conv(6, 16, padding: 0);  // (N, 16, 10, 10) → pool → (N, 16, 5, 5)
        model.Add(new Flatten<T>());
        Dense(16 * 5 * 5, 120, hidden: true);
        Dense(120, 84, hidden: true);
        Dense(84, config.NumClasses, hidden: false);
        return model;
    }

    /// <summary>The activation module for <paramref name="activation"/>.</summary>
    public static Module<T> ActivationLayer<T>(Activation activation) where T : unmanaged, IFloatingPointIeee754<T> => activation switch
    {
        Activation.ReLU => new ReLU<T>(),
        Activation.Sigmoid => new Sigmoid<T>(),
        Activation.Tanh => new Tanh<T>(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };

    /// <summary>The normalization layer of kind <paramref name="kind"/> for <paramref name="features"/> dense features.</summary>
    public static Module<T> NormLayer<T>(NormKind kind, int features, int groups = 4, double eps = 1e-5, double? momentum = 0.1)
        where T : unmanaged, IFloatingPointIeee754<T> => kind switch
        {
            NormKind.BatchNorm => new BatchNorm1d<T>(features, eps, momentum),
            NormKind.LayerNorm => new LayerNorm<T>(features, eps),
            NormKind.RMSNorm => new RMSNorm<T>(features, eps),
            NormKind.GroupNorm => new GroupNorm<T>(groups, features, eps),
            NormKind.BatchRenorm => new BatchRenorm1d<T>(features, eps),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No layer for this normalization kind."),
        };

    // The norm's slot: the normalization layer (if any), then the noise (if any) — without a norm the noise takes its place,
    // so "the same noise without BN" sits exactly where the noisy BN network has it.
    private static void AddNorm<T>(Sequential<T> model, MlpConfig config, int width, Random random) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (config.Norm != NormKind.None) model.Add(NormLayer<T>(config.Norm, width, config.Groups, config.NormEps, config.NormMomentum));
        if (config.NormNoise is { } noise) model.Add(new NoisyShiftScale<T>(noise, random));
    }

    private static void Initialise<T>(Parameter<T> weight, Parameter<T>? bias, int fanIn, int fanOut, InitScheme scheme, double scale, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(scale >= 0 && double.IsFinite(scale))) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The init scale must be finite and ≥ 0.");
        switch (scheme)
        {
            case InitScheme.Default:
                // Keep the layer's own PyTorch-default draw; the scale multiplies it.
                TensorPrimitives.Multiply(weight.Value.Span, T.CreateChecked(scale), weight.Value.Span);
                return;
            case InitScheme.Normal:
                Init.Normal(weight.Value, 0, scale, random);
                break;
            case InitScheme.Xavier:
                Init.XavierNormal(weight.Value, fanIn, fanOut, random, scale);
                break;
            case InitScheme.Kaiming:
                Init.KaimingNormal(weight.Value, fanIn, random, Math.Sqrt(2) * scale);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown initialisation scheme.");
        }
        bias?.Value.Span.Clear();
    }
}

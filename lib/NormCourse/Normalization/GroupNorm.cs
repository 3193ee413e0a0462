using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Normalization;

/// <summary>
/// Group Normalization (Wu &amp; He 2018): the C channels of each sample are split into G groups, and each
/// (sample, group) is normalized over its (C/G)·S values, S the spatial size; γ and β are per channel.
/// <code>
/// μ_ng = mean of x[n, group g]    σ²_ng = biased variance    x̂ = (x − μ_ng)/√(σ²_ng + ε)    y = γ_c x̂ + β_c
/// </code>
/// No batch statistics, so it behaves the same for any batch size, in training and evaluation.
/// G = 1 is LayerNorm over (C, H, W) with per-channel affine; G = C is InstanceNorm.
/// PyTorch: <c>torch.nn.GroupNorm(num_groups, num_channels, eps=1e-5, affine=True)</c>.
/// </summary>
public sealed class GroupNorm<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // Per group: μ, σ², invstd. Per (sample, channel): the group's μ and invstd with the channel's γ and β, and the
    // backward pass's sums and coefficients, so that the shared per-channel kernels do the elementwise work.
    private double[]? _mean, _variance, _invStd, _meanNC, _invStdNC, _scaleNC, _shiftNC, _sumDyNC, _sumDyXcNC, _k, _a, _b;
    private Tensor<T>? _input, _output, _gradInput;
    private ChannelLayout _groups, _perChannel;

    /// <summary>G, the number of groups.</summary>
    public int NumGroups { get; }

    /// <summary>C, the number of channels.</summary>
    public int NumChannels { get; }

    /// <summary>ε, added to the variance inside the square root.</summary>
    public double Eps { get; }

    /// <summary>γ, per channel, initialised to 1; null without affine.</summary>
    public Parameter<T>? Weight { get; }

    /// <summary>β, per channel, initialised to 0; null without affine.</summary>
    public Parameter<T>? Bias { get; }

    /// <summary>Creates the layer.</summary>
    /// <param name="numGroups">G; must divide <paramref name="numChannels"/>. The paper's default is 32.</param>
    /// <param name="numChannels">C, the channel count of the input (N, C, …).</param>
    /// <param name="eps">ε, added to the variance inside the root.</param>
    /// <param name="affine">Whether to learn γ and β.</param>
    public GroupNorm(int numGroups, int numChannels, double eps = 1e-5, bool affine = true)
    {
        NumGroups = NormalizationChecks.PositiveCount(numGroups, nameof(numGroups));
        NumChannels = NormalizationChecks.PositiveCount(numChannels, nameof(numChannels));
        if (numChannels % numGroups != 0)
            throw new ArgumentException($"num_channels must be divisible by num_groups (got {numChannels} channels, {numGroups} groups).", nameof(numGroups));
        Eps = NormalizationChecks.PositiveEps(eps);
        if (affine)
        {
            Weight = new Parameter<T>(Tensor<T>.Full(T.One, numChannels));
            Bias = new Parameter<T>(Tensor<T>.Zeros(numChannels));
        }
    }

    /// <inheritdoc />
    public override Tensor<T> Forward(Tensor<T> input)
    {
        if (input.Rank < 2 || input.Dim(1) != NumChannels)
            throw new ArgumentException($"{this}: expected input (N, {NumChannels}, …), got {input.ShapeString}.", nameof(input));
        int n = input.Dim(0), spatial = input.Length / Math.Max(1, n * NumChannels);
        int channelsPerGroup = NumChannels / NumGroups;
        // PyTorch's F.group_norm checks (N·C/G)·S > 1 like a batch, in any mode; a group of one value has no spread.
        if (n * channelsPerGroup * spatial == 1)
            throw new ArgumentException($"Expected more than 1 value per channel when training, got input size {input.ShapeString}.", nameof(input));
        _groups = new ChannelLayout(1, n * NumGroups, channelsPerGroup * spatial);
        _perChannel = new ChannelLayout(1, n * NumChannels, spatial);

        var mean = Scratch.Get(ref _mean, _groups.Channels);
        var variance = Scratch.Get(ref _variance, _groups.Channels);
        var invStd = Scratch.Get(ref _invStd, _groups.Channels);
        Moments.MeanAndVariance<T>(input.Span, _groups, mean, variance);
        NormalizationChecks.FiniteStatistics(this, "group (sample·G + group)", mean, variance);
        for (int group = 0; group < _groups.Channels; group++) invStd[group] = 1.0 / Math.Sqrt(variance[group] + Eps);

        // y = γ_c·(x − μ_ng)·invstd_ng + β_c: per (sample, channel) constants for the per-channel kernel.
        var meanNC = Scratch.Get(ref _meanNC, _perChannel.Channels);
        var invStdNC = Scratch.Get(ref _invStdNC, _perChannel.Channels);
        var scaleNC = Scratch.Get(ref _scaleNC, _perChannel.Channels);
        var shiftNC = Scratch.Get(ref _shiftNC, _perChannel.Channels);
        for (int nc = 0; nc < _perChannel.Channels; nc++)
        {
            int c = nc % NumChannels, group = nc / channelsPerGroup;
            meanNC[nc] = mean[group];
            invStdNC[nc] = invStd[group];
            scaleNC[nc] = Weight is null ? 1 : double.CreateTruncating(Weight.Value.Span[c]);
            shiftNC[nc] = Bias is null ? 0 : double.CreateTruncating(Bias.Value.Span[c]);
        }
        var y = Tensor<T>.Reuse(ref _output, input.Shape);
        Kernels.Normalize<T>(input.Span, _perChannel, meanNC, invStdNC, scaleNC, shiftNC, y.Span);
        _input = input;
        return y;
    }

    /// <summary>
    /// The backward pass: LayerNorm's formula inside each group of m = (C/G)·S values, with g = γ_c·dy:
    /// <code>
    /// dx = invstd·(g − Σg/m − x̂·Σ(g·x̂)/m)       (sums over the group)
    /// dγ_c = Σ_{n,s} dy·x̂      dβ_c = Σ_{n,s} dy    (sums over the batch and positions of channel c)
    /// </code>
    /// All of it follows from two sums per (sample, channel), P = Σ_s dy and Q = Σ_s dy·(x − μ): dβ_c = Σ_n P,
    /// dγ_c = Σ_n invstd·Q, and over a group Σg = Σ_c γ_c·P, Σ(g·x̂) = invstd·Σ_c γ_c·Q.
    /// </summary>
    public override Tensor<T> Backward(Tensor<T> gradOutput)
    {
        var x = _input ?? throw NormalizationChecks.BackwardBeforeForward(this);
        if (!gradOutput.HasShape(x.Shape))
            throw new ArgumentException($"{this}: the output gradient has shape {gradOutput.ShapeString}, the output {x.ShapeString}.");
        int pairs = _perChannel.Channels, channelsPerGroup = NumChannels / NumGroups;
        var meanNC = _meanNC.AsSpan(0, pairs);
        var invStdNC = _invStdNC.AsSpan(0, pairs);
        var scaleNC = _scaleNC.AsSpan(0, pairs);
        var p = Scratch.Get(ref _sumDyNC, pairs);
        var q = Scratch.Get(ref _sumDyXcNC, pairs);
        Moments.CenteredSumAndDot<T>(gradOutput.Span, x.Span, meanNC, _perChannel, p, q);
        if (Weight is not null)
            for (int nc = 0; nc < pairs; nc++)
            {
                Weight.Grad.Span[nc % NumChannels] += T.CreateTruncating(invStdNC[nc] * q[nc]);
                Bias!.Grad.Span[nc % NumChannels] += T.CreateTruncating(p[nc]);
            }

        var k = Scratch.Get(ref _k, pairs);
        var a = Scratch.Get(ref _a, pairs);
        var b = Scratch.Get(ref _b, pairs);
        double m = _groups.Inner;
        for (int group = 0; group < _groups.Channels; group++)
        {
            double sumG = 0, sumGXc = 0;
            for (int nc = group * channelsPerGroup; nc < (group + 1) * channelsPerGroup; nc++)
            {
                sumG += scaleNC[nc] * p[nc];
                sumGXc += scaleNC[nc] * q[nc];
            }
            double s = _invStd![group];
            for (int nc = group * channelsPerGroup; nc < (group + 1) * channelsPerGroup; nc++)
            {
                k[nc] = scaleNC[nc] * s;
                a[nc] = s * sumG / m;
                b[nc] = s * s * sumGXc / m;    // invstd·Σ(g·x̂)/m, with Σ(g·x̂) = invstd·Σ γ_c·Q
            }
        }
        var dx = Tensor<T>.Reuse(ref _gradInput, x.Shape);
        Kernels.Backward<T>(gradOutput.Span, [], x.Span, _perChannel, meanNC, invStdNC, k, a, b, dx.Span);
        return dx;
    }

    /// <inheritdoc />
    public override IEnumerable<(string Name, Parameter<T> Parameter)> NamedParameters()
    {
        if (Weight is null) yield break;
        yield return ("weight", Weight);
        yield return ("bias", Bias!);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"GroupNorm({NumGroups}, {NumChannels}, eps={Eps:G}, affine={(Weight is not null ? "True" : "False")})";
}

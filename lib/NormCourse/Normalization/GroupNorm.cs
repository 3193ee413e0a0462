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
    private double[]? _mean, _variance, _invStd, _sumG, _sumGXhat;
    private readonly double[] _sumDy, _sumDyXhat;
    private Tensor<T>? _xhat, _output, _g, _gradInput;
    private ChannelLayout _groups, _channels;

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
        _sumDy = new double[numChannels];
        _sumDyXhat = new double[numChannels];
    }

    /// <inheritdoc />
    public override Tensor<T> Forward(Tensor<T> input)
    {
        if (input.Rank < 2 || input.Dim(1) != NumChannels)
            throw new ArgumentException($"{this}: expected input (N, {NumChannels}, …), got {input.ShapeString}.", nameof(input));
        int n = input.Dim(0), spatial = input.Length / Math.Max(1, n * NumChannels);
        int perGroup = NumChannels / NumGroups * spatial;
        // PyTorch's F.group_norm checks (N·C/G)·S > 1 like a batch, in any mode; a group of one value has no spread.
        if (n * (NumChannels / NumGroups) * spatial == 1)
            throw new ArgumentException($"Expected more than 1 value per channel when training, got input size {input.ShapeString}.", nameof(input));
        _groups = new ChannelLayout(1, n * NumGroups, perGroup);
        _channels = new ChannelLayout(n, NumChannels, spatial);

        var mean = Scratch.Get(ref _mean, _groups.Channels);
        var variance = Scratch.Get(ref _variance, _groups.Channels);
        var invStd = Scratch.Get(ref _invStd, _groups.Channels);
        Moments.MeanAndVariance<T>(input.Span, _groups, mean, variance);
        NormalizationChecks.FiniteStatistics(this, "group (sample·G + group)", mean, variance);

        var xhat = Tensor<T>.Reuse(ref _xhat, input.Shape);
        var y = Tensor<T>.Reuse(ref _output, input.Shape);
        ReadOnlySpan<T> x = input.Span;
        for (int group = 0; group < _groups.Channels; group++)
        {
            invStd[group] = 1.0 / Math.Sqrt(variance[group] + Eps);
            T mu = T.CreateTruncating(mean[group]), s = T.CreateTruncating(invStd[group]);
            for (int i = group * perGroup; i < (group + 1) * perGroup; i++)
            {
                int c = _channels.ChannelOf(i);
                T h = (x[i] - mu) * s;
                xhat.Span[i] = h;
                y.Span[i] = (Weight is null ? h : Weight.Value.Span[c] * h) + (Bias is null ? T.Zero : Bias.Value.Span[c]);
            }
        }
        return y;
    }

    /// <summary>
    /// The backward pass: LayerNorm's formula inside each group of m = (C/G)·S values, with g = γ_c·dy:
    /// <code>
    /// dx = (invstd/m)·(m·g − Σg − x̂·Σ(g·x̂))       (sums over the group)
    /// dγ_c = Σ_{n,s} dy·x̂      dβ_c = Σ_{n,s} dy    (sums over the batch and positions of channel c)
    /// </code>
    /// </summary>
    public override Tensor<T> Backward(Tensor<T> gradOutput)
    {
        var xhat = _xhat ?? throw NormalizationChecks.BackwardBeforeForward(this);
        if (!gradOutput.HasShape(xhat.Shape))
            throw new ArgumentException($"{this}: the output gradient has shape {gradOutput.ShapeString}, the output {xhat.ShapeString}.");
        ReadOnlySpan<T> dy = gradOutput.Span;
        if (Weight is not null)
        {
            Moments.SumAndDot<T>(dy, xhat.Span, _channels, _sumDy, _sumDyXhat);
            for (int c = 0; c < NumChannels; c++)
            {
                Weight.Grad.Span[c] += T.CreateTruncating(_sumDyXhat[c]);
                Bias!.Grad.Span[c] += T.CreateTruncating(_sumDy[c]);
            }
        }

        var g = Tensor<T>.Reuse(ref _g, xhat.Shape);
        for (int i = 0; i < g.Length; i++) g.Span[i] = Weight is null ? dy[i] : dy[i] * Weight.Value.Span[_channels.ChannelOf(i)];
        var sumG = Scratch.Get(ref _sumG, _groups.Channels);
        var sumGXhat = Scratch.Get(ref _sumGXhat, _groups.Channels);
        Moments.SumAndDot<T>(g.Span, xhat.Span, _groups, sumG, sumGXhat);

        var dx = Tensor<T>.Reuse(ref _gradInput, xhat.Shape);
        int m = _groups.Inner;
        T mT = T.CreateTruncating((double)m);
        for (int group = 0; group < _groups.Channels; group++)
        {
            T scale = T.CreateTruncating(_invStd![group] / m);
            T sg = T.CreateTruncating(sumG[group]), sgx = T.CreateTruncating(sumGXhat[group]);
            for (int i = group * m; i < (group + 1) * m; i++)
                dx.Span[i] = scale * (mT * g.Span[i] - sg - xhat.Span[i] * sgx);
        }
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

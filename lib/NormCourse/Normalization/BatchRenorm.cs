using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Normalization;

/// <summary>
/// Batch Renormalization (Ioffe 2017, Algorithm 1), the shared implementation of <see cref="BatchRenorm1d{T}"/>
/// and <see cref="BatchRenorm2d{T}"/>. Training normalizes with the batch's statistics, then corrects towards
/// the moving ones, so that training and inference compute the same function when the batch is unrepresentative:
/// <code>
/// σ_B = √(ε + (1/m) Σ (x − μ_B)²)
/// r = clip(σ_B/σ, 1/rMax, rMax)       d = clip((μ_B − μ)/σ, −dMax, dMax)      (constants in backward)
/// x̂ = (x − μ_B)/σ_B                    y = γ(x̂·r + d) + β
/// μ ← μ + α(μ_B − μ)                   σ ← σ + α(σ_B − σ)                      (after r and d are taken)
/// </code>
/// Inference: y = γ(x − μ)/σ + β. With rMax = 1 and dMax = 0 it is BatchNorm; the paper starts so and relaxes
/// rMax to 3 and dMax to 5 over training, which is why <see cref="RMax"/> and <see cref="DMax"/> are settable per step.
/// The moving statistic is a standard deviation with ε inside, not a Bessel-corrected variance, as in the paper.
/// </summary>
public abstract class BatchRenorm<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double[] _mean, _std, _r, _d, _sumDy, _sumDyXhat, _invStd, _scale, _shift, _k, _a, _b;
    private Tensor<T>? _input, _output, _gradInput;   // the input is kept: backward recomputes x̂ from it
    private ChannelLayout _layout;
    private bool _trainingPass;
    private double _rMax, _dMax;

    /// <summary>C, the number of channels.</summary>
    public int NumFeatures { get; }

    /// <summary>ε, inside σ_B's square root.</summary>
    public double Eps { get; }

    /// <summary>α, the moving averages' update rate (the paper's α; 0.01).</summary>
    public double Momentum { get; set; }

    /// <summary>r's clipping bound: r ∈ [1/rMax, rMax]; at least 1.</summary>
    public double RMax
    {
        get => _rMax;
        set => _rMax = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(RMax), value, "rMax must be at least 1.");
    }

    /// <summary>d's clipping bound: d ∈ [−dMax, dMax]; at least 0.</summary>
    public double DMax
    {
        get => _dMax;
        set => _dMax = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(DMax), value, "dMax must be at least 0.");
    }

    /// <summary>γ, per channel, initialised to 1; null without affine.</summary>
    public Parameter<T>? Weight { get; }

    /// <summary>β, per channel, initialised to 0; null without affine.</summary>
    public Parameter<T>? Bias { get; }

    /// <summary>The moving mean μ, initialised to 0.</summary>
    public Tensor<T> RunningMean { get; }

    /// <summary>The moving standard deviation σ, initialised to 1.</summary>
    public Tensor<T> RunningStd { get; }

    /// <summary>How many training batches have updated the moving statistics.</summary>
    public long NumBatchesTracked { get; set; }

    /// <summary>r of the last training batch, per channel.</summary>
    public ReadOnlySpan<double> LastR => _r;

    /// <summary>d of the last training batch, per channel.</summary>
    public ReadOnlySpan<double> LastD => _d;

    /// <summary>Creates the layer.</summary>
    protected BatchRenorm(int numFeatures, double eps, double momentum, double rMax, double dMax, bool affine)
    {
        NumFeatures = NormalizationChecks.PositiveCount(numFeatures, nameof(numFeatures));
        Eps = NormalizationChecks.PositiveEps(eps);
        if (momentum is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must lie in [0, 1].");
        Momentum = momentum;
        RMax = rMax;
        DMax = dMax;
        if (affine)
        {
            Weight = new Parameter<T>(Tensor<T>.Full(T.One, numFeatures));
            Bias = new Parameter<T>(Tensor<T>.Zeros(numFeatures));
        }
        RunningMean = Tensor<T>.Zeros(numFeatures);
        RunningStd = Tensor<T>.Full(T.One, numFeatures);
        _mean = new double[numFeatures];
        _std = new double[numFeatures];
        _r = new double[numFeatures];
        _d = new double[numFeatures];
        _sumDy = new double[numFeatures];
        _sumDyXhat = new double[numFeatures];
        _invStd = new double[numFeatures];
        _scale = new double[numFeatures];
        _shift = new double[numFeatures];
        _k = new double[numFeatures];
        _a = new double[numFeatures];
        _b = new double[numFeatures];
    }

    /// <summary>Checks the input's rank and channel count and views it as (N, C, L).</summary>
    protected abstract ChannelLayout LayoutOf(Tensor<T> input);

    /// <inheritdoc />
    public override Tensor<T> Forward(Tensor<T> input)
    {
        var layout = LayoutOf(input);
        _layout = layout;
        _trainingPass = IsTraining;
        if (IsTraining) NormalizationChecks.MoreThanOneValuePerChannel(input, layout);
        else
        {
            // Inference: x̂ = (x − μ)/σ with the moving statistics, r = 1, d = 0.
            for (int c = 0; c < NumFeatures; c++)
            {
                _mean[c] = double.CreateTruncating(RunningMean.Span[c]);
                _std[c] = double.CreateTruncating(RunningStd.Span[c]);
            }
        }
        var y = Tensor<T>.Reuse(ref _output, input.Shape);
        // A block of channels at a time (ChannelBlocks): its statistics, then its normalization while it is in cache.
        foreach (var block in ChannelBlocks.Of(layout))
        {
            if (IsTraining)
            {
                Moments.MeanAndVariance<T>(input.Span, layout, _mean, _std, block);
                NormalizationChecks.FiniteStatistics(this, "channel", _mean.AsSpan(block), _std.AsSpan(block), firstIndex: block.Start.Value);
            }
            for (int c = block.Start.Value; c < block.End.Value; c++)
            {
                double r = 1, d = 0;
                if (IsTraining)
                {
                    _std[c] = Math.Sqrt(_std[c] + Eps);
                    double movingStd = double.CreateTruncating(RunningStd.Span[c]);
                    r = _r[c] = Math.Clamp(_std[c] / movingStd, 1 / RMax, RMax);
                    d = _d[c] = Math.Clamp((_mean[c] - double.CreateTruncating(RunningMean.Span[c])) / movingStd, -DMax, DMax);
                }
                double gamma = Weight is null ? 1 : double.CreateTruncating(Weight.Value.Span[c]);
                double beta = Bias is null ? 0 : double.CreateTruncating(Bias.Value.Span[c]);
                // y = γ(x̂r + d) + β folded into one multiply-add per value: y = x̂·(γr) + (γd + β).
                _invStd[c] = 1 / _std[c];
                _scale[c] = gamma * r;
                _shift[c] = gamma * d + beta;
            }
            Kernels.Normalize<T>(input.Span, layout, _mean, _invStd, _scale, _shift, y.Span, block);
        }
        if (IsTraining)
        {
            // After every channel's statistics passed the finiteness check, so that a bad input leaves them untouched.
            for (int c = 0; c < NumFeatures; c++)
            {
                double movingMean = double.CreateTruncating(RunningMean.Span[c]);
                double movingStd = double.CreateTruncating(RunningStd.Span[c]);
                RunningMean.Span[c] = T.CreateTruncating(movingMean + Momentum * (_mean[c] - movingMean));
                RunningStd.Span[c] = T.CreateTruncating(movingStd + Momentum * (_std[c] - movingStd));
            }
            NumBatchesTracked++;
        }
        _input = input;
        return y;
    }

    /// <summary>
    /// The backward pass. r and d are constants (stop-gradient), so it is BatchNorm's with the scale γr/σ_B:
    /// <code>
    /// dx = (r·γ/σ_B)·(dy − (Σdy + x̂·Σ(dy·x̂))/m)
    /// dγ = Σ dy·(x̂·r + d) = r·Σ(dy·x̂) + d·Σdy        dβ = Σ dy
    /// </code>
    /// In inference mode μ and σ are constants: dx = γ·dy/σ, dγ = Σ dy·x̂.
    /// </summary>
    public override Tensor<T> Backward(Tensor<T> gradOutput)
    {
        var x = _input ?? throw NormalizationChecks.BackwardBeforeForward(this);
        if (!gradOutput.HasShape(x.Shape))
            throw new ArgumentException($"{this}: the output gradient has shape {gradOutput.ShapeString}, the output {x.ShapeString}.");
        var dx = Tensor<T>.Reuse(ref _gradInput, x.Shape);
        double m = _layout.CountPerChannel;
        // A block of channels at a time (ChannelBlocks): its sums, then its dx while its dy and x are in cache.
        foreach (var block in ChannelBlocks.Of(_layout))
        {
            // Σdy and Σdy·(x − μ), then Σ(dy·x̂) = Σdy·(x − μ)/σ.
            Moments.CenteredSumAndDot<T>(gradOutput.Span, x.Span, _mean, _layout, _sumDy, _sumDyXhat, block);
            for (int c = block.Start.Value; c < block.End.Value; c++)
            {
                _sumDyXhat[c] *= _invStd[c];
                double r = _trainingPass ? _r[c] : 1, d = _trainingPass ? _d[c] : 0;
                if (Weight is not null)
                {
                    Weight.Grad.Span[c] += T.CreateTruncating(r * _sumDyXhat[c] + d * _sumDy[c]);
                    Bias!.Grad.Span[c] += T.CreateTruncating(_sumDy[c]);
                }
                _k[c] = r * (Weight is null ? 1 : double.CreateTruncating(Weight.Value.Span[c])) / _std[c];
                _a[c] = _trainingPass ? _k[c] * _sumDy[c] / m : 0;
                _b[c] = _trainingPass ? _k[c] * _sumDyXhat[c] / m : 0;
            }
            Kernels.Backward<T>(gradOutput.Span, [], x.Span, _layout, _mean, _invStd, _k, _a, _b, dx.Span, block);
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
    public override IEnumerable<(string Name, Tensor<T> Buffer)> NamedBuffers()
    {
        yield return ("running_mean", RunningMean);
        yield return ("running_std", RunningStd);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{base.ToString()}({NumFeatures}, eps={Eps:G}, momentum={Momentum:G}, r_max={RMax:G}, d_max={DMax:G})";
}

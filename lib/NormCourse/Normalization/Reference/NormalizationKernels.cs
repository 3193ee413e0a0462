namespace NormCourse.Normalization.Reference;

/// <summary>
/// The elementwise halves of the normalization layers, as plain loops: the readable form the lessons show.
/// The statistics come from <see cref="Moments"/>; these loops apply them. The layers run exactly these loops for
/// float64, and float32 runs a vectorised copy of them that the tests hold equal to these.
/// </summary>
/// <remarks>
/// Every layer is one of two forward shapes and one backward shape over a <see cref="ChannelLayout"/> view
/// (Outer, Channels, Inner) of its data:
/// <list type="bullet">
/// <item><see cref="Normalize{T}"/>: per-channel statistics and a per-channel affine (BatchNorm, Batch Renorm);</item>
/// <item><see cref="NormalizeRows{T}"/>: per-row statistics and a per-position affine (LayerNorm, RMSNorm);</item>
/// <item><see cref="Backward{T}"/>: dx = k·w·dy − a − b·x̂ with per-channel k, a, b, which is every one of them.</item>
/// </list>
/// </remarks>
public static class NormalizationKernels
{
    /// <summary>
    /// For every value of channel c: x̂ = (x − μ_c)·invstd_c and y = x̂·scale_c + shift_c.
    /// BatchNorm passes scale = γ, shift = β; Batch Renorm folds its correction in: scale = γ·r, shift = γ·d + β;
    /// GroupNorm passes per (sample, channel) the group's μ and invstd with the channel's γ and β.
    /// x̂ is not kept: the backward pass recomputes it from x, which costs less than writing and re-reading it.
    /// </summary>
    /// <param name="x">The input, laid out as <paramref name="layout"/>.</param>
    /// <param name="layout">The (Outer, Channels, Inner) view.</param>
    /// <param name="mean">μ per channel.</param>
    /// <param name="invStd">1/√(σ² + ε) per channel.</param>
    /// <param name="scale">The multiplier of x̂ per channel.</param>
    /// <param name="shift">The offset per channel.</param>
    /// <param name="y">Receives the output.</param>
    public static void Normalize<T>(ReadOnlySpan<T> x, ChannelLayout layout, ReadOnlySpan<double> mean, ReadOnlySpan<double> invStd,
        ReadOnlySpan<double> scale, ReadOnlySpan<double> shift, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (outer, channels, inner) = layout;
        for (int o = 0; o < outer; o++)
            for (int c = 0; c < channels; c++)
            {
                T mu = T.CreateTruncating(mean[c]), s = T.CreateTruncating(invStd[c]);
                T gamma = T.CreateTruncating(scale[c]), beta = T.CreateTruncating(shift[c]);
                int start = (o * channels + c) * inner;
                for (int i = start; i < start + inner; i++) y[i] = gamma * ((x[i] - mu) * s) + beta;
            }
    }

    /// <summary>
    /// For every row r of D values (layout (1, rows, D)) and position j in it: x̂ = (x − μ_r)·invstd_r and
    /// y = γ_j·x̂ + β_j. An empty <paramref name="mean"/> means μ = 0 (RMSNorm, where invstd is 1/RMS), an empty
    /// γ means 1 and an empty β means 0 (so with neither, y is x̂).
    /// </summary>
    public static void NormalizeRows<T>(ReadOnlySpan<T> x, ChannelLayout rows, ReadOnlySpan<double> mean, ReadOnlySpan<double> invStd,
        ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int d = rows.Inner;
        for (int r = 0; r < rows.Channels; r++)
        {
            T mu = mean.IsEmpty ? T.Zero : T.CreateTruncating(mean[r]), s = T.CreateTruncating(invStd[r]);
            for (int j = 0, i = r * d; j < d; j++, i++)
            {
                T h = (x[i] - mu) * s;
                y[i] = (gamma.IsEmpty ? h : gamma[j] * h) + (beta.IsEmpty ? T.Zero : beta[j]);
            }
        }
    }

    /// <summary>
    /// dx = k_c·w_j·dy − a_c − b_c·x̂ for every value of channel c at inner position j (w empty: 1), with
    /// x̂ = (x − μ_c)·invstd_c recomputed from the input (μ empty: 0). With g = w·dy and m values per statistic,
    /// the normalization backward passes are all this one line:
    /// <code>
    /// BatchNorm     k = γ·invstd      a = k·Σdy/m        b = k·Σ(dy·x̂)/m     (w = 1)
    /// Batch Renorm  k = γ·r/σ_B       a = k·Σdy/m        b = k·Σ(dy·x̂)/m
    /// LayerNorm     k = invstd        a = k·Σg/D         b = k·Σ(g·x̂)/D      (w = γ, sums along the row)
    /// RMSNorm       k = 1/RMS         a = 0              b = k·Σ(g·x̂)/D
    /// GroupNorm     k = γ_c·invstd    a = invstd·Σg/m    b = invstd·Σ(g·x̂)/m  (g = γ_c·dy, sums over the group)
    /// evaluation    k = γ·invstd      a = b = 0          (running statistics are constants)
    /// </code>
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> weight, ReadOnlySpan<T> x, ChannelLayout layout,
        ReadOnlySpan<double> mean, ReadOnlySpan<double> invStd, ReadOnlySpan<double> k, ReadOnlySpan<double> a, ReadOnlySpan<double> b,
        Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (outer, channels, inner) = layout;
        for (int o = 0; o < outer; o++)
            for (int c = 0; c < channels; c++)
            {
                T mu = mean.IsEmpty ? T.Zero : T.CreateTruncating(mean[c]), s = T.CreateTruncating(invStd[c]);
                T kc = T.CreateTruncating(k[c]), ac = T.CreateTruncating(a[c]), bc = T.CreateTruncating(b[c]);
                int start = (o * channels + c) * inner;
                for (int j = 0, i = start; j < inner; j++, i++)
                {
                    T g = weight.IsEmpty ? dy[i] : weight[j] * dy[i];
                    T h = (x[i] - mu) * s;
                    dx[i] = kc * g - ac - bc * h;
                }
            }
    }
}

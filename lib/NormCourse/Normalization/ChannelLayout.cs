namespace NormCourse.Normalization;

/// <summary>
/// A contiguous tensor seen as (Outer, Channels, Inner): a statistic is taken for each channel over the
/// Outer × Inner values that share it. Every normalization layer is one such view of its input:
/// <list type="bullet">
/// <item>BatchNorm (N, C, L…): (N, C, L…) — per channel, over the batch and the spatial positions;</item>
/// <item>LayerNorm and RMSNorm (rows, D): (1, rows, D) — per row, over its D values;</item>
/// <item>GroupNorm (N, C, S): (1, N·G, (C/G)·S) — per sample and group;</item>
/// <item>and a per-element parameter gradient of LayerNorm, Σ over rows: (rows, D, 1).</item>
/// </list>
/// </summary>
/// <param name="Outer">The number of blocks before the channel axis.</param>
/// <param name="Channels">The number of statistics.</param>
/// <param name="Inner">The number of contiguous values after the channel axis.</param>
public readonly record struct ChannelLayout(int Outer, int Channels, int Inner)
{
    /// <summary>m: how many values each channel's statistic is taken over.</summary>
    public int CountPerChannel => Outer * Inner;

    /// <summary>The total number of values.</summary>
    public int Length => Outer * Channels * Inner;

    /// <summary>The channel of the value at flat index <paramref name="index"/>.</summary>
    public int ChannelOf(int index) => index / Inner % Channels;

    /// <summary>The first channel and one past the last of <paramref name="channels"/>, checked against <see cref="Channels"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range reaches outside 0…Channels.</exception>
    public (int First, int End) Bounds(Range channels)
    {
        var (first, count) = channels.GetOffsetAndLength(Channels);
        return (first, first + count);
    }
}

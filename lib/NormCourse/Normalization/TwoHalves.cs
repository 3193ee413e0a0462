using NormCourse.Tensors;

namespace NormCourse.Normalization;

/// <summary>
/// When and how the float kernels split a pass in two halves, this thread computing one and the process's
/// <see cref="Worker"/> the other (or this thread both, one after the other, when there is no worker or it is busy).
/// </summary>
/// <remarks>
/// <para>
/// Rows: LayerNorm's and RMSNorm's rows are independent, and so are an (N, C) BatchNorm's rows once its statistics are
/// known; its reductions over the rows keep a separate sum per half, added in a fixed order. Whether a pass splits
/// depends only on the shape, so the results are the same floats with or without the worker.
/// </para>
/// <para>
/// Channels: an (N, C, L) BatchNorm's block of channels (<see cref="ChannelBlocks"/>) splits into two halves of whole
/// channels; each channel is computed as on one thread, so splitting changes nothing in the results.
/// </para>
/// <para>
/// The sizes: handing a half to the worker and waiting for it costs about a microsecond while the worker is awake (a
/// training step or a benchmark keeps it so); a half of 32 Ki values, read and written once, takes several.
/// </para>
/// </remarks>
internal static unsafe class TwoHalves
{
    /// <summary>The fewest values (512 KiB of floats) for which a pass splits its rows.</summary>
    public const int RowSplitValues = 1 << 17;

    /// <summary>The fewest values for which a block splits its channels.</summary>
    public const int ChannelSplitValues = 1 << 16;

    /// <summary>
    /// The fewest values an (N, C, L) tensor must hold for its channels to be shared with the worker at all. Below it the
    /// worker's core must fetch its half of the channels from the cache of the core that wrote them, and the two
    /// threads were slower than one: BatchNorm2d forward+backward on the course's machine (2026-12-04, medians of
    /// hundreds of calls, two runs), one thread against two: (64, 6, 28, 28) 122 against 170 µs, (32, 16, 28, 28) 140–144
    /// against 192–194, (256, 16, 10, 10) 270 against 431–443, (128, 16, 28, 28), 1.5 Mi values, 1,003–1,098 against
    /// 1,025–1,037; (64, 64, 32, 32), 4 Mi values from memory, 3,626–3,733 against 3,182–3,294.
    /// </summary>
    public const int ChannelShareValues = 1 << 21;

    /// <summary>
    /// The worker a pass over <paramref name="layout"/> may hand half its work to: the process's, except for an
    /// (N, C, L) tensor (whose passes split channels) of fewer than <see cref="ChannelShareValues"/> values.
    /// </summary>
    public static Worker? WorkerFor(ChannelLayout layout) =>
        layout.Inner == 1 || (long)layout.Length >= ChannelShareValues ? Worker.Shared : null;

    /// <summary>
    /// The widest rows that split: the second half's column sums live on the caller's stack (16 bytes a column, 24 for
    /// LayerNorm's dγ and dβ).
    /// </summary>
    public const int MaxSplitColumns = 4096;

    /// <summary>Whether <paramref name="rows"/> rows of <paramref name="columns"/> values split.</summary>
    public static bool SplitRows(int rows, int columns) =>
        rows >= 2 && (long)rows * columns >= RowSplitValues && columns <= MaxSplitColumns;

    /// <summary>Runs <paramref name="work"/> over rows 0…rows−1, in two halves when <paramref name="split"/>.</summary>
    public static void OverRows(delegate*<nint, int, int, void> work, nint job, int rows, bool split, Worker? worker)
    {
        if (split) Worker.RunHalves(worker, work, job, rows / 2, rows);
        else work(job, 0, rows);
    }

    /// <summary>
    /// Runs <paramref name="work"/> over a block's channels 0…channels−1 (counted from the block's first), in two halves
    /// when the block holds <see cref="ChannelSplitValues"/> values or more.
    /// </summary>
    public static void OverChannels(delegate*<nint, int, int, void> work, nint job, int channels, long values, Worker? worker)
    {
        if (channels >= 2 && values >= ChannelSplitValues) Worker.RunHalves(worker, work, job, channels / 2, channels);
        else work(job, 0, channels);
    }
}

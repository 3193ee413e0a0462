using NormCourse.Tensors;

namespace NormCourse.Normalization;

/// <summary>
/// BatchNorm and Batch Renorm work through their channels a block at a time, both passes of the forward (statistics,
/// then normalize) or backward (sums, then dx) over one block before the next. On one thread a block holds about 256 KiB
/// of each tensor, so the second pass finds the block's x (and dy) in the L2 cache where the first pass left them: each
/// value is read from memory once per direction instead of twice (BatchNorm2d (32,16,28,28) forward+backward:
/// 515 → 394 µs on the course's machine). The results do not depend on the blocking: every statistic belongs to
/// one channel, and a block holds whole channels.
/// </summary>
/// <remarks>
/// (N, C) inputs (Inner = 1) are not blocked: a block of channels there is a short piece of every row, read a row's
/// length apart, which the hardware prefetcher cannot follow — measured 2× slower than whole rows for (4096, 256).
/// </remarks>
internal static class ChannelBlocks
{
    // When the tensor is shared with the process's Worker (TwoHalves.WorkerFor: from 2 Mi values), a block is eight
    // times as large and splits into two halves of whole channels (TwoHalves), one per core: every block costs four
    // handoffs to the worker and back (two passes each way), and how much a handoff costs depends on where the host
    // puts the two vCPUs and what else runs on them. On the Zen 5 machine (2026-12-03, median of 3,000
    // forward+backward calls), in a half hour when handoffs were dear: (64, 64, 32, 32) 2,642–2,743 µs with 64 Ki
    // blocks on one thread, 2,539–2,589 with 512 Ki blocks shared; BatchNorm2d (32, 16, 28, 28), since kept on one
    // thread, 150–169 µs alone and 176–182 shared in 512 Ki blocks (216–261 in 128 Ki).
    private const int ValuesPerBlock = 64 * 1024, SharedValuesPerBlock = 512 * 1024;

    /// <summary>How many channels a block holds: at least one; all of them when Inner = 1.</summary>
    private static int Size(ChannelLayout layout)
    {
        if (layout.Inner == 1) return layout.Channels;
        int values = TwoHalves.WorkerFor(layout) is null ? ValuesPerBlock : SharedValuesPerBlock;
        int most = Math.Clamp(values / Math.Max(1, layout.CountPerChannel), 1, layout.Channels);
        // As many blocks as that needs, of equal size: 16 channels at most 5 a block are 4 blocks of 4, not 5, 5, 5 and
        // a last one of 1 that could not split between two threads.
        int blocks = (layout.Channels + most - 1) / most;
        return (layout.Channels + blocks - 1) / blocks;
    }

    /// <summary>The blocks of channels in order, as ranges; <c>foreach</c> over it allocates nothing.</summary>
    public static Blocks Of(ChannelLayout layout) => new(layout.Channels, Size(layout));

    /// <summary>An allocation-free enumeration of 0…channels in steps of <c>size</c>.</summary>
    public struct Blocks(int channels, int size)
    {
        private int _end;

        /// <summary>The current block.</summary>
        public Range Current { get; private set; }

        /// <summary>Moves to the next block; false after the last.</summary>
        public bool MoveNext()
        {
            if (_end >= channels) return false;
            Current = _end..Math.Min(_end + size, channels);
            _end = Current.End.Value;
            return true;
        }

        /// <summary>Itself, so that <c>foreach</c> takes it.</summary>
        public readonly Blocks GetEnumerator() => this;
    }
}

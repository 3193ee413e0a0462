namespace NormCourse.Normalization;

/// <summary>
/// LayerNorm and RMSNorm work through their rows a block at a time, every pass of the forward (statistics, then
/// normalize) or backward (sums, then dx) over one block before the next: a block of ~128 KiB stays in cache
/// between passes, so a large input is read from memory once instead of once per pass.
/// </summary>
internal static class RowBlocks
{
    private const int ValuesPerBlock = 32 * 1024;

    /// <summary>How many rows of <paramref name="rowLength"/> values one block holds (at least 1).</summary>
    public static int RowsPerBlock(int rowLength) => Math.Max(1, ValuesPerBlock / rowLength);
}

namespace NormCourse.Normalization;

/// <summary>
/// LayerNorm and RMSNorm work through their rows a block at a time, every pass of the forward (statistics, then
/// normalize) or backward (sums, then dx) over one block before the next: a block of ~128 KiB stays in cache
/// between passes, so a large input is read from memory once instead of once per pass. x̂ is not kept for the
/// whole input: the backward pass recomputes it block by block from the cached input, which costs a few
/// operations per value and saves writing and re-reading a tensor the size of the input.
/// </summary>
internal static class RowBlocks
{
    private const int ValuesPerBlock = 32 * 1024;

    /// <summary>How many rows of <paramref name="rowLength"/> values one block holds (at least 1).</summary>
    public static int RowsPerBlock(int rowLength) => Math.Max(1, ValuesPerBlock / rowLength);

    /// <summary>A buffer for one block of rows of <paramref name="rowLength"/> values, made once and then reused.</summary>
    public static Span<T> Buffer<T>(ref T[]? buffer, int rowLength)
    {
        int length = RowsPerBlock(rowLength) * rowLength;
        if (buffer is null || buffer.Length < length) buffer = new T[length];
        return buffer.AsSpan(0, length);
    }
}

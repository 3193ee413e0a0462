namespace NormCourse.Normalization;

/// <summary>Per-row statistics buffers whose size follows the batch: grown when needed, then reused.</summary>
internal static class Scratch
{
    public static Span<double> Get(ref double[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length) buffer = new double[length];
        return buffer.AsSpan(0, length);
    }
}

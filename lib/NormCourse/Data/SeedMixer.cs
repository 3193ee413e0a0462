namespace NormCourse.Data;

/// <summary>Derives independent, reproducible seeds from a base seed and an epoch (or any other index).</summary>
internal static class SeedMixer
{
    /// <summary>
    /// A 32-bit seed from (seed, index) by the SplitMix64 finaliser: nearby inputs give unrelated seeds, and the
    /// result never depends on the process (unlike <see cref="HashCode"/>, which is randomised per process).
    /// </summary>
    public static int Mix(int seed, int index)
    {
        ulong z = ((ulong)(uint)seed << 32 | (uint)index) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & int.MaxValue);
    }
}

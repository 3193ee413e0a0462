namespace NormCourse.Data;

/// <summary>
/// The usual i.i.d. minibatches: each epoch visits every example once in a fresh random order, cut into
/// batches of <see cref="BatchSize"/>; the last, smaller batch is kept or dropped.
/// </summary>
/// <remarks>
/// Epoch e is shuffled with a seed mixed from (seed, e), so epochs differ from each other but a rerun with the
/// same seed repeats every epoch exactly — whatever order the epochs are asked for in.
/// </remarks>
public sealed class MinibatchSampler : IBatchSampler
{
    private readonly int _seed;

    /// <summary>Creates the sampler.</summary>
    /// <param name="count">The number of examples, N.</param>
    /// <param name="batchSize">The examples per batch.</param>
    /// <param name="seed">The seed of the shuffles.</param>
    /// <param name="dropLast">Drop the last batch when it has fewer than <paramref name="batchSize"/> examples
    /// (as PyTorch's DataLoader(drop_last=True)); keep it when false.</param>
    public MinibatchSampler(int count, int batchSize, int seed, bool dropLast = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        Count = count;
        BatchSize = batchSize;
        DropLast = dropLast;
        _seed = seed;
    }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public int BatchSize { get; }

    /// <summary>Whether a last partial batch is dropped.</summary>
    public bool DropLast { get; }

    /// <summary>The number of batches per epoch: ⌊N/B⌋ when dropping the last, ⌈N/B⌉ otherwise.</summary>
    public int BatchesPerEpoch => DropLast ? Count / BatchSize : (Count + BatchSize - 1) / BatchSize;

    /// <summary>The permutation of [0, N) epoch <paramref name="epoch"/> visits.</summary>
    public int[] Order(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var order = new int[Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        new Random(SeedMixer.Mix(_seed, epoch)).Shuffle(order);
        return order;
    }

    /// <inheritdoc/>
    public IEnumerable<ReadOnlyMemory<int>> Batches(int epoch)
    {
        var order = Order(epoch);
        return Cut(order, BatchSize, BatchesPerEpoch);
    }

    // Lazily yields consecutive slices; validation in Batches runs eagerly, this part runs as enumerated.
    internal static IEnumerable<ReadOnlyMemory<int>> Cut(int[] order, int batchSize, int batches)
    {
        for (int b = 0; b < batches; b++)
        {
            int start = b * batchSize;
            yield return order.AsMemory(start, Math.Min(batchSize, order.Length - start));
        }
    }
}

namespace NormCourse.Data;

/// <summary>
/// The most non-i.i.d. minibatches there are: examples sorted by class, so nearly every batch holds a single
/// class (a batch straddles two classes only at a boundary). Batch statistics then differ wildly from the
/// population's — the failure Batch Renormalization (Ioffe 2017) addresses.
/// </summary>
/// <remarks>
/// Each epoch the examples within each class are shuffled (seeded by (seed, epoch)); classes come in ascending
/// order. The last partial batch is kept or dropped.
/// </remarks>
public sealed class ClassSortedSampler : IBatchSampler
{
    private readonly int[][] _byClass;
    private readonly int _seed;

    /// <summary>Creates the sampler.</summary>
    /// <param name="labels">The class of each example (non-negative).</param>
    /// <param name="batchSize">The examples per batch.</param>
    /// <param name="seed">The seed of the within-class shuffles.</param>
    /// <param name="dropLast">Drop a last batch smaller than <paramref name="batchSize"/>.</param>
    public ClassSortedSampler(ReadOnlySpan<int> labels, int batchSize, int seed, bool dropLast = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _byClass = ClassIndex.Build(labels);
        Count = labels.Length;
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

    /// <inheritdoc/>
    public IEnumerable<ReadOnlyMemory<int>> Batches(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var rng = new Random(SeedMixer.Mix(_seed, epoch));
        var order = new int[Count];
        int at = 0;
        foreach (var members in _byClass)
        {
            var part = order.AsSpan(at, members.Length);
            members.CopyTo(part);
            rng.Shuffle(part);
            at += members.Length;
        }
        int batches = DropLast ? Count / BatchSize : (Count + BatchSize - 1) / BatchSize;
        return MinibatchSampler.Cut(order, BatchSize, batches);
    }
}

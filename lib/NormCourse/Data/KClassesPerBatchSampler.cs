namespace NormCourse.Data;

/// <summary>
/// Non-i.i.d. minibatches with exactly <see cref="ClassesPerBatch"/> distinct classes each, B/k examples of each:
/// the setting of Batch Renormalization's experiment with non-i.i.d. minibatches (Ioffe 2017, §4.3), where a
/// batch's mean and variance are far from the population's.
/// </summary>
/// <remarks>
/// Each epoch, every class's examples are shuffled (seeded by (seed, epoch)) and dealt out in groups of B/k.
/// The k classes of a batch are drawn without replacement with probability proportional to how many groups each
/// has left, so classes run out at about the same time and an epoch covers nearly every example. The epoch ends
/// when fewer than k classes have a full group left; those leftovers wait for the next epoch. No example appears
/// twice in an epoch. Within a batch, the examples of one class are contiguous.
/// </remarks>
public sealed class KClassesPerBatchSampler : IBatchSampler
{
    private readonly int[][] _byClass;
    private readonly int _seed;

    /// <summary>Creates the sampler.</summary>
    /// <param name="labels">The class of each example (non-negative).</param>
    /// <param name="batchSize">The examples per batch, B; a multiple of <paramref name="classesPerBatch"/>.</param>
    /// <param name="classesPerBatch">The distinct classes in each batch, k.</param>
    /// <param name="seed">The seed of the shuffles and draws.</param>
    /// <exception cref="ArgumentException">B is not a multiple of k, or fewer than k classes have B/k examples.</exception>
    public KClassesPerBatchSampler(ReadOnlySpan<int> labels, int batchSize, int classesPerBatch, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classesPerBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, classesPerBatch);
        if (batchSize % classesPerBatch != 0)
            throw new ArgumentException($"The batch size {batchSize} is not a multiple of k = {classesPerBatch}.", nameof(batchSize));
        _byClass = ClassIndex.Build(labels);
        int per = batchSize / classesPerBatch;
        int usable = _byClass.Count(m => m.Length >= per);
        if (usable < classesPerBatch)
            throw new ArgumentException($"Only {usable} classes have {per} examples; {classesPerBatch} per batch are needed.", nameof(labels));
        Count = labels.Length;
        BatchSize = batchSize;
        ClassesPerBatch = classesPerBatch;
        _seed = seed;
    }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public int BatchSize { get; }

    /// <summary>The distinct classes in each batch, k.</summary>
    public int ClassesPerBatch { get; }

    /// <inheritdoc/>
    public IEnumerable<ReadOnlyMemory<int>> Batches(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var rng = new Random(SeedMixer.Mix(_seed, epoch));
        int per = BatchSize / ClassesPerBatch;
        var pools = _byClass.Select(m => { var p = (int[])m.Clone(); rng.Shuffle(p); return p; }).ToArray();
        var next = new int[pools.Length];
        var groupsLeft = pools.Select(p => p.Length / per).ToArray();
        var order = new List<int>(Count);
        var chosen = new bool[pools.Length];
        while (groupsLeft.Count(g => g > 0) >= ClassesPerBatch)
        {
            Array.Clear(chosen);
            for (int j = 0; j < ClassesPerBatch; j++)
            {
                int c = Draw(rng, groupsLeft, chosen);
                chosen[c] = true;
                order.AddRange(pools[c].AsSpan(next[c], per));
                next[c] += per;
                groupsLeft[c]--;
            }
        }
        var array = order.ToArray();
        return MinibatchSampler.Cut(array, BatchSize, array.Length / BatchSize);
    }

    // One class not yet chosen, with probability proportional to its groups left.
    private static int Draw(Random rng, int[] groupsLeft, bool[] chosen)
    {
        int total = 0;
        for (int c = 0; c < groupsLeft.Length; c++) if (!chosen[c]) total += groupsLeft[c];
        int r = rng.Next(total);
        for (int c = 0; c < groupsLeft.Length; c++)
        {
            if (chosen[c]) continue;
            r -= groupsLeft[c];
            if (r < 0) return c;
        }
        throw new InvalidOperationException("Unreachable: the draw exceeded the total weight.");
    }
}

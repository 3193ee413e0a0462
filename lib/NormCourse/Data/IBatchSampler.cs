namespace NormCourse.Data;

/// <summary>
/// Decides which examples form each minibatch of an epoch. The same sampler, seed and epoch always give the
/// same batches; different epochs give different ones.
/// </summary>
/// <remarks>
/// Batches are slices of one index array made per epoch, so iterating allocates once per epoch, not per batch:
/// <c>foreach (var batch in sampler.Batches(epoch)) data.Gather(batch.Span, x, y);</c>.
/// A slice is valid until the enumeration moves to the next epoch; copy it to keep it longer.
/// </remarks>
public interface IBatchSampler
{
    /// <summary>The number of examples sampled from, N (indices are in [0, N)).</summary>
    int Count { get; }

    /// <summary>The number of examples in a full batch.</summary>
    int BatchSize { get; }

    /// <summary>The minibatches of epoch <paramref name="epoch"/> (0, 1, …), as example indices.</summary>
    IEnumerable<ReadOnlyMemory<int>> Batches(int epoch);
}

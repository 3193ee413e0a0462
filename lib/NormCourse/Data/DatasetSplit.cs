namespace NormCourse.Data;

/// <summary>A training set and the test set it is evaluated on.</summary>
/// <param name="Train">The examples a model learns from (and the only ones preprocessing statistics come from).</param>
/// <param name="Test">The held-out examples.</param>
public sealed record DatasetSplit(LabeledDataset Train, LabeledDataset Test)
{
    /// <summary>Both sets with features flattened to (N, D).</summary>
    public DatasetSplit Flattened() => new(Train.Flattened(), Test.Flattened());

    /// <summary>Both sets as single-channel square images (N, 1, s, s).</summary>
    public DatasetSplit AsImages() => new(Train.AsImages(), Test.AsImages());

    /// <summary>
    /// Both sets standardised with statistics fitted on <see cref="Train"/> only (see <see cref="Standardizer"/>),
    /// so nothing about the test set leaks into training.
    /// </summary>
    public DatasetSplit Standardized(StandardizeMode mode = StandardizeMode.PerFeature)
    {
        var s = Standardizer.Fit(Train, mode);
        return new(s.Transform(Train), s.Transform(Test));
    }
}

namespace NormCourse.Charts;

/// <summary>What a training-curves chart plots against the step.</summary>
public enum CurveMetric
{
    /// <summary>The minibatch cross-entropy of every update.</summary>
    TrainLoss,

    /// <summary>The minibatch accuracy of every update, in percent.</summary>
    TrainAccuracy,

    /// <summary>The held-out cross-entropy at every evaluation.</summary>
    TestLoss,

    /// <summary>The held-out accuracy at every evaluation, in percent.</summary>
    TestAccuracy,

    /// <summary>The learning rate of every update.</summary>
    LearningRate,
}

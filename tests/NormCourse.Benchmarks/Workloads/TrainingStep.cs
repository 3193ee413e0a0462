using NormCourse.Layers;
using NormCourse.Tensors;
using NormCourse.Training;

namespace NormCourse.Benchmarks.Workloads;

/// <summary>
/// One SGD training step of a float32 classifier on batches cut from a fixed pool of random inputs, as the
/// anchor does (a pool of 60,000 uniform [0, 1) samples, read in order): copy the batch, forward, softmax
/// cross-entropy, backward, update.
/// </summary>
public sealed class TrainingStep : IWorkload
{
    private readonly Module<float> _model;
    private readonly SoftmaxCrossEntropy<float> _loss = new();
    private readonly Sgd<float> _sgd;
    private readonly float[] _pool;
    private readonly int[] _labels;
    private readonly Tensor<float> _batch;
    private readonly int _sampleLength, _poolSize;
    private int _cursor;

    /// <summary>Builds the step for <paramref name="model"/> on inputs of <paramref name="sampleShape"/>.</summary>
    public TrainingStep(string name, Module<float> model, int batch, int[] sampleShape, int classes, int poolSize = 60_000)
    {
        Name = name;
        Shape = batch.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Samples = batch;
        _model = model;
        _model.Train();
        _sgd = new Sgd<float>(model.Parameters(), 0.1);
        _sampleLength = sampleShape.Aggregate(1, (a, b) => a * b);
        _poolSize = poolSize;
        var random = new Random(1234);
        _pool = new float[poolSize * _sampleLength];
        for (int i = 0; i < _pool.Length; i++) _pool[i] = random.NextSingle();
        _labels = new int[poolSize];
        for (int i = 0; i < poolSize; i++) _labels[i] = random.Next(classes);
        _batch = Tensor<float>.Zeros([batch, .. sampleShape]);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Shape { get; }

    /// <inheritdoc />
    public int Samples { get; }

    /// <inheritdoc />
    public double Bytes => 0;

    /// <inheritdoc />
    public double Flops => 0;

    /// <summary>The mean loss of the last step.</summary>
    public double LastLoss { get; private set; }

    /// <inheritdoc />
    public void Run()
    {
        if (_cursor + Samples > _poolSize) _cursor = 0;
        _pool.AsSpan(_cursor * _sampleLength, Samples * _sampleLength).CopyTo(_batch.Span);
        var labels = _labels.AsSpan(_cursor, Samples);
        _cursor += Samples;
        var logits = _model.Forward(_batch);
        LastLoss = _loss.Forward(logits, labels);
        _model.BackwardToParameters(_loss.Backward());
        _sgd.Step();
        _sgd.ZeroGrad();
    }
}

using NormCourse.Layers;
using NormCourse.Tensors;
using NormCourse.Training;

namespace NormCourse.Benchmarks.Workloads;

/// <summary>
/// One SGD training step of a float32 classifier on batches cut from a fixed pool of random inputs, as the
/// anchor does (a pool of 60,000 uniform [0, 1) samples, read in order): forward, softmax cross-entropy, backward,
/// update, zero the gradients.
/// </summary>
/// <remarks>
/// The anchor takes each batch as a view of its pool (<c>narrow</c>), which copies nothing. NormCourse's tensors own
/// their arrays and have no views, so the pool is held as its consecutive batches, cut once: a step reads its batch
/// from memory just as the anchor's does, with no copy that the anchor does not make.
/// </remarks>
public sealed class TrainingStep : IWorkload
{
    private readonly Module<float> _model;
    private readonly SoftmaxCrossEntropy<float> _loss = new();
    private readonly Sgd<float> _sgd;
    private readonly Tensor<float>[] _batches;
    private readonly int[] _labels;
    private int _next;

    /// <summary>Builds the step for <paramref name="model"/> on inputs of <paramref name="sampleShape"/>.</summary>
    public TrainingStep(string name, Module<float> model, int batch, int[] sampleShape, int classes, int poolSize = 60_000)
    {
        Name = name;
        Shape = batch.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Samples = batch;
        _model = model;
        _model.Train();
        _sgd = new Sgd<float>(model.Parameters(), 0.1);
        var random = new Random(1234);
        _batches = new Tensor<float>[poolSize / batch];
        for (int b = 0; b < _batches.Length; b++)
        {
            _batches[b] = Tensor<float>.Zeros([batch, .. sampleShape]);
            var values = _batches[b].Span;
            for (int i = 0; i < values.Length; i++) values[i] = random.NextSingle();
        }
        _labels = new int[_batches.Length * batch];
        for (int i = 0; i < _labels.Length; i++) _labels[i] = random.Next(classes);
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
        if (_next == _batches.Length) _next = 0;
        var labels = _labels.AsSpan(_next * Samples, Samples);
        var logits = _model.Forward(_batches[_next++]);
        LastLoss = _loss.Forward(logits, labels);
        _model.BackwardToParameters(_loss.Backward());
        _sgd.Step();
        _sgd.ZeroGrad();
    }
}

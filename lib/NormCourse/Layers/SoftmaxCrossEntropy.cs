using NormCourse.Normalization;
using NormCourse.Tensors;

namespace NormCourse.Layers;

/// <summary>
/// Softmax followed by the cross-entropy with integer labels, averaged over the batch: PyTorch's
/// <c>nn.CrossEntropyLoss()</c> on logits z (N, K) and labels y (N):
/// loss = (1/N)·Σₙ [log Σₖ e^{z[n,k]} − z[n, yₙ]] = −(1/N)·Σₙ log softmax(z[n])[yₙ].
/// Not a <see cref="Module{T}"/>: it ends the network, taking labels and returning a number.
/// </summary>
public sealed class SoftmaxCrossEntropy<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Tensor<T>? _probabilities;   // (N, K), softmax of the last logits
    private Tensor<T>? _gradLogits;      // (N, K)
    private int[]? _labels;              // (N), a copy of the last labels
    private int _count;                  // N of the last Forward
    private double[]? _exponentials;     // (N·K) e^{z − max}, reused
    private double[]? _maxima;           // (N) each row's max z, reused

    /// <summary>The softmax of the last logits, (N, K): each row sums to 1.</summary>
    /// <exception cref="InvalidOperationException">Forward has not been called.</exception>
    public Tensor<T> Probabilities => _probabilities ?? throw new InvalidOperationException("SoftmaxCrossEntropy.Probabilities was read before Forward.");

    /// <summary>
    /// The mean cross-entropy of <paramref name="logits"/> (N, K) against <paramref name="labels"/> (N, each in [0, K)).
    /// Caches the probabilities and labels for <see cref="Backward"/> and <see cref="CountCorrect"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Logits not (N, K) with N, K ≥ 1; a label count other than N; a label outside [0, K).</exception>
    public double Forward(Tensor<T> logits, ReadOnlySpan<int> labels)
    {
        if (logits.Rank != 2 || logits.Shape[0] == 0 || logits.Shape[1] == 0)
            throw new ArgumentException($"SoftmaxCrossEntropy expects logits (N, classes) with N, classes ≥ 1, got {logits.ShapeString}.", nameof(logits));
        int n = logits.Shape[0], k = logits.Shape[1];
        if (labels.Length != n)
            throw new ArgumentException($"SoftmaxCrossEntropy got {labels.Length} labels for logits {logits.ShapeString}; expected {n}.", nameof(labels));
        for (int i = 0; i < n; i++)
            if ((uint)labels[i] >= (uint)k)
                throw new ArgumentException($"Label at index {i} is {labels[i]}, outside [0, {k}) for {k} classes.", nameof(labels));

        if (_labels is null || _labels.Length != n) _labels = new int[n];
        labels.CopyTo(_labels);
        _count = n;
        var probabilities = Tensor<T>.Reuse(ref _probabilities, logits.Shape);
        ReadOnlySpan<T> z = logits.Span;
        var p = probabilities.Span;

        // log Σ e^{z} = m + log Σ e^{z − m} with m = max z: every exponent is ≤ 0, so nothing overflows,
        // and the largest term is e⁰ = 1, so the sum cannot underflow to 0 either.
        // The shifted logits of the whole batch go through one vectorised exponential (double), kept for
        // p = e^{z − m}/Σ e^{z − m}.
        var e = Scratch.Get(ref _exponentials, n * k);
        var maxima = Scratch.Get(ref _maxima, n);
        for (int row = 0; row < n; row++)
        {
            var zRow = z.Slice(row * k, k);
            maxima[row] = double.CreateChecked(TensorPrimitives.Max(zRow));
            for (int j = 0; j < k; j++) e[row * k + j] = double.CreateChecked(zRow[j]) - maxima[row];
        }
        TensorPrimitives.Exp(e, e);
        double total = 0;
        for (int row = 0; row < n; row++)
        {
            var eRow = e.Slice(row * k, k);
            var pRow = p.Slice(row * k, k);
            double sum = TensorPrimitives.Sum(eRow);
            for (int j = 0; j < k; j++) pRow[j] = T.CreateChecked(eRow[j] / sum);
            total += maxima[row] + Math.Log(sum) - double.CreateChecked(z[row * k + labels[row]]);
        }
        return total / n;
    }

    /// <summary>∂loss/∂logits = (softmax(z) − onehot(y)) / N, shape (N, K).</summary>
    /// <exception cref="InvalidOperationException">Forward has not been called.</exception>
    public Tensor<T> Backward()
    {
        var probabilities = _probabilities ?? throw new InvalidOperationException("SoftmaxCrossEntropy.Backward was called before Forward.");
        int n = _count, k = probabilities.Shape[1];
        var dz = Tensor<T>.Reuse(ref _gradLogits, probabilities.Shape);
        // lossₙ = log Σₖ e^{zₖ} − z_y, so ∂lossₙ/∂zⱼ = e^{zⱼ}/Σₖ e^{zₖ} − 1[j = y] = pⱼ − 1[j = y];
        // the mean over the batch divides by N.
        T invN = T.One / T.CreateChecked(n);
        TensorPrimitives.Multiply(probabilities.Span, invN, dz.Span);
        var dzs = dz.Span;
        for (int row = 0; row < n; row++) dzs[row * k + _labels![row]] -= invN;
        return dz;
    }

    /// <summary>
    /// How many rows of the last Forward have their label as the most probable class (the first one on a tie,
    /// as <c>torch.argmax</c>): the numerator of the accuracy.
    /// </summary>
    /// <exception cref="InvalidOperationException">Forward has not been called.</exception>
    public int CountCorrect()
    {
        var probabilities = _probabilities ?? throw new InvalidOperationException("SoftmaxCrossEntropy.CountCorrect was called before Forward.");
        int k = probabilities.Shape[1], correct = 0;
        for (int row = 0; row < _count; row++)
            if (TensorPrimitives.IndexOfMax<T>(probabilities.Span.Slice(row * k, k)) == _labels![row]) correct++;
        return correct;
    }

    /// <summary>As PyTorch prints the equivalent loss: <c>CrossEntropyLoss()</c>.</summary>
    public override string ToString() => "CrossEntropyLoss()";
}

using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Normalization;

/// <summary>
/// The backward pass LayerNorm and RMSNorm share: each row of D values was normalized as x̂ = (x − μ)·s
/// (RMSNorm: μ = 0, s = r) and scaled elementwise, y = γ ⊙ x̂ (+ β). With g = γ ⊙ dy:
/// <code>
/// dx = s·(g − Σg/D − x̂·Σ(g ⊙ x̂)/D)      (sums along the row; RMSNorm has no −Σg/D term: nothing was subtracted)
/// dγ = Σ_rows dy ⊙ x̂       dβ = Σ_rows dy
/// </code>
/// x̂ is recomputed from the input one cache-sized block of rows at a time, cheaper than storing and re-reading it.
/// Holds the scratch buffers, so a steady training step allocates nothing.
/// </summary>
internal sealed class RowNormBackward<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private double[]? _sumG, _sumGXhat, _sumDy, _sumDyXhat, _blockSumDy, _blockSumDyXhat;
    private Tensor<T>? _gradInput;
    private T[]? _blockXhat;

    /// <summary>
    /// Returns dx for <paramref name="rows"/> rows of <paramref name="d"/> values and adds dγ, dβ into the
    /// parameters' gradients. An empty <paramref name="mean"/> means the rows were not centred (RMSNorm).
    /// </summary>
    public Tensor<T> Run(Tensor<T> input, Tensor<T> gradOutput, int rows, int d,
        ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, Parameter<T>? weight, Parameter<T>? bias)
    {
        bool centred = !mean.IsEmpty;
        ReadOnlySpan<T> gamma = weight is null ? [] : weight.Value.Span;
        var sumDy = Scratch.Get(ref _sumDy, d);
        var sumDyXhat = Scratch.Get(ref _sumDyXhat, d);
        var blockSumDy = Scratch.Get(ref _blockSumDy, d);
        var blockSumDyXhat = Scratch.Get(ref _blockSumDyXhat, d);
        sumDy.Clear();
        sumDyXhat.Clear();
        var sumG = Scratch.Get(ref _sumG, rows);
        var sumGXhat = Scratch.Get(ref _sumGXhat, rows);
        var dx = Tensor<T>.Reuse(ref _gradInput, input.Shape);
        var xhatBlock = RowBlocks.Buffer(ref _blockXhat, d);
        for (int r0 = 0, block = RowBlocks.RowsPerBlock(d); r0 < rows; r0 += block)
        {
            int n = Math.Min(block, rows - r0);
            var dy = gradOutput.Span.Slice(r0 * d, n * d);
            var blockRows = new ChannelLayout(1, n, d);
            var h = xhatBlock[..(n * d)];
            Kernels.NormalizeRows(input.Span.Slice(r0 * d, n * d), blockRows, centred ? mean.Slice(r0, n) : [], scale.Slice(r0, n), [], [], h, h);
            if (weight is not null)
            {
                // dγ = Σ_rows dy ⊙ x̂, dβ = Σ_rows dy: this block's share.
                Moments.SumAndDot(dy, h, new ChannelLayout(n, d, 1), blockSumDy, blockSumDyXhat);
                TensorPrimitives.Add(sumDy, blockSumDy, sumDy);
                TensorPrimitives.Add(sumDyXhat, blockSumDyXhat, sumDyXhat);
            }
            // The row sums of g = γ ⊙ dy and g ⊙ x̂, then dx = s·(g − Σg/D − x̂·Σ(g ⊙ x̂)/D).
            var sg = sumG.Slice(r0, n);
            var sgx = sumGXhat.Slice(r0, n);
            Moments.WeightedSumAndDot(dy, gamma, h, blockRows, sg, sgx);
            if (centred) TensorPrimitives.Divide(sg, d, sg);
            else sg.Clear();
            TensorPrimitives.Divide(sgx, d, sgx);
            Kernels.Backward(dy, gamma, h, blockRows, scale.Slice(r0, n), sg, sgx, dx.Span.Slice(r0 * d, n * d));
        }
        if (weight is not null)
            for (int j = 0; j < d; j++)
            {
                weight.Grad.Span[j] += T.CreateTruncating(sumDyXhat[j]);
                if (bias is not null) bias.Grad.Span[j] += T.CreateTruncating(sumDy[j]);
            }
        return dx;
    }
}

using NormCourse.Layers;
using NormCourse.Tensors;
using NormCourse.Tensors.Simd;

namespace NormCourse.Normalization;

/// <summary>
/// The work LayerNorm and RMSNorm share: each row of D values is normalized as x̂ = (x − μ)·s with
/// s = 1/√(spread + ε) — LayerNorm: μ the row mean, spread its variance; RMSNorm: μ = 0, spread the mean square —
/// and scaled elementwise, y = γ ⊙ x̂ (+ β). With g = γ ⊙ dy the backward pass is
/// <code>
/// dx = s·(g − Σg/D − x̂·Σ(g ⊙ x̂)/D)      (sums along the row; RMSNorm has no −Σg/D term: nothing was subtracted)
/// dγ = Σ_rows dy ⊙ x̂       dβ = Σ_rows dy
/// </code>
/// float32 takes <see cref="FloatRowNorm"/> wherever the CPU has vector units, a row at a time; otherwise the rows go through the
/// readable kernels a cache-sized block at a time. x̂ is never kept: backward recomputes it from the input.
/// Holds the scratch buffers, so a steady training step allocates nothing.
/// </summary>
internal sealed unsafe class RowNorm<T>(bool centred) where T : unmanaged, IFloatingPointIeee754<T>
{
    private double[]? _mean, _spread, _invStd, _sumG, _sumGXhat, _sumDy, _sumDyXhat, _blockSumDy, _blockSumDyXhat;
    private Tensor<T>? _output, _gradInput;
    private T[]? _blockXhat;
    private float[]? _floatSums;
    private float[]? _parameterCopies;   // pinned: the kernels keep pointers into it
    private int _rows, _d;

    private static bool Fast => typeof(T) == typeof(float) && VectorWidths.AnyAccelerated;

    /// <summary>The last forward pass's row means (zeros for RMSNorm).</summary>
    public ReadOnlySpan<double> Mean => _mean.AsSpan(0, _rows);

    /// <summary>The last forward pass's row variances (LayerNorm) or mean squares (RMSNorm).</summary>
    public ReadOnlySpan<double> Spread => _spread.AsSpan(0, _rows);

    /// <summary>The last forward pass's s = 1/√(spread + ε) per row.</summary>
    public ReadOnlySpan<double> InvStd => _invStd.AsSpan(0, _rows);

    /// <summary>Normalizes <paramref name="rows"/> rows of <paramref name="d"/> values; empty γ, β mean 1, 0.</summary>
    public Tensor<T> Forward(Tensor<T> input, int rows, int d, double eps, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta)
    {
        (_rows, _d) = (rows, d);
        var mean = Scratch.Get(ref _mean, rows);
        var spread = Scratch.Get(ref _spread, rows);
        var invStd = Scratch.Get(ref _invStd, rows);
        var y = Tensor<T>.Reuse(ref _output, input.Shape);
        if (Fast)
        {
            fixed (T* px = input.Span, py = y.Span, pg = gamma, pb = beta)
            fixed (double* pm = mean, ps = spread, pi = invStd)
            {
                float* g = CopyInPhase((float*)pg, gamma.Length, (float*)py, slot: 0), b = CopyInPhase((float*)pb, beta.Length, (float*)py, slot: 1);
                FloatRowNorm.Forward((float*)px, rows, d, centred, eps, g, b, pm, ps, pi, (float*)py, VectorWidths.Widest, Worker.Shared);
            }
            return y;
        }
        for (int r0 = 0, block = RowBlocks.RowsPerBlock(d); r0 < rows; r0 += block)
        {
            int n = Math.Min(block, rows - r0);
            var blockRows = new ChannelLayout(1, n, d);
            var x = input.Span.Slice(r0 * d, n * d);
            if (centred) Moments.MeanAndVariance(x, blockRows, mean.Slice(r0, n), spread.Slice(r0, n));
            else Moments.MeanSquare(x, blockRows, spread.Slice(r0, n));
            for (int r = r0; r < r0 + n; r++) invStd[r] = 1.0 / Math.Sqrt(spread[r] + eps);
            Kernels.NormalizeRows(x, blockRows, centred ? mean.Slice(r0, n) : [], invStd.Slice(r0, n), gamma, beta, y.Span.Slice(r0 * d, n * d));
        }
        return y;
    }

    /// <summary>Returns dx for the last forward pass's rows and adds dγ, dβ into the parameters' gradients.</summary>
    public Tensor<T> Backward(Tensor<T> input, Tensor<T> gradOutput, Parameter<T>? weight, Parameter<T>? bias)
    {
        int rows = _rows, d = _d;
        ReadOnlySpan<T> gamma = weight is null ? [] : weight.Value.Span;
        var mean = Mean;
        var invStd = InvStd;
        var sumDy = Scratch.Get(ref _sumDy, d);
        var sumDyXhat = Scratch.Get(ref _sumDyXhat, d);
        sumDy.Clear();
        sumDyXhat.Clear();
        var dx = Tensor<T>.Reuse(ref _gradInput, input.Shape);
        if (Fast)
        {
            int sumsLength = FloatRowNorm.BlockSumsLength(d);
            if (_floatSums is null || _floatSums.Length < sumsLength) _floatSums = new float[sumsLength];
            fixed (T* px = input.Span, pdy = gradOutput.Span, pdx = dx.Span, pg = gamma)
            fixed (double* pm = mean, pi = invStd, pdg = sumDyXhat, pdb = sumDy)
            fixed (float* scratch = _floatSums)
            {
                float* g = CopyInPhase((float*)pg, gamma.Length, (float*)pdx, slot: 0);
                FloatRowNorm.Backward((float*)px, (float*)pdy, rows, d, centred, pm, pi, g,
                    weight is null ? null : pdg, bias is null ? null : pdb, scratch, (float*)pdx, VectorWidths.Widest, Worker.Shared);
            }
        }
        else BackwardInBlocks(input, gradOutput, rows, d, gamma, weight is not null, dx);
        if (weight is not null)
            for (int j = 0; j < d; j++)
            {
                weight.Grad.Span[j] += T.CreateTruncating(sumDyXhat[j]);
                if (bias is not null) bias.Grad.Span[j] += T.CreateTruncating(sumDy[j]);
            }
        return dx;
    }

    // γ and β copied where their offset within a cache line is the output's: the kernels align their vectors to the
    // output rows, which for the usual row lengths (multiples of 16) all share the tensor's offset, so γ and β are then
    // read aligned too.
    private float* CopyInPhase(float* parameter, int length, float* output, int slot)
    {
        if (parameter == null || length == 0) return null;
        int room = length + Alignment.LineFloats;
        if (_parameterCopies is null || _parameterCopies.Length < 2 * room) _parameterCopies = GC.AllocateArray<float>(2 * room, pinned: true);
        fixed (float* copies = _parameterCopies)
        {
            float* copy = Alignment.SamePhase(copies + slot * room, output);
            new ReadOnlySpan<float>(parameter, length).CopyTo(new Span<float>(copy, length));
            return copy;
        }
    }

    private void BackwardInBlocks(Tensor<T> input, Tensor<T> gradOutput, int rows, int d, ReadOnlySpan<T> gamma, bool parameterGradients, Tensor<T> dx)
    {
        var mean = Mean;
        var invStd = InvStd;
        var sumDy = _sumDy.AsSpan(0, d);
        var sumDyXhat = _sumDyXhat.AsSpan(0, d);
        var blockSumDy = Scratch.Get(ref _blockSumDy, d);
        var blockSumDyXhat = Scratch.Get(ref _blockSumDyXhat, d);
        var a = Scratch.Get(ref _sumG, rows);
        var b = Scratch.Get(ref _sumGXhat, rows);
        var xhatBlock = RowBlocks.Buffer(ref _blockXhat, d);
        for (int r0 = 0, block = RowBlocks.RowsPerBlock(d); r0 < rows; r0 += block)
        {
            int n = Math.Min(block, rows - r0);
            var x = input.Span.Slice(r0 * d, n * d);
            var dy = gradOutput.Span.Slice(r0 * d, n * d);
            var blockRows = new ChannelLayout(1, n, d);
            var s = invStd.Slice(r0, n);
            var mu = centred ? mean.Slice(r0, n) : [];
            var h = xhatBlock[..(n * d)];
            Kernels.NormalizeRows(x, blockRows, mu, s, [], [], h);
            if (parameterGradients)
            {
                // dγ = Σ_rows dy ⊙ x̂, dβ = Σ_rows dy: this block's share.
                Moments.SumAndDot(dy, h, new ChannelLayout(n, d, 1), blockSumDy, blockSumDyXhat);
                TensorPrimitives.Add(sumDy, blockSumDy, sumDy);
                TensorPrimitives.Add(sumDyXhat, blockSumDyXhat, sumDyXhat);
            }
            // The row sums Σg and Σ(g ⊙ x̂) become a = s·Σg/D (0 uncentred) and b = s·Σ(g ⊙ x̂)/D, then
            // dx = s·g − a − b·x̂.
            var ar = a.Slice(r0, n);
            var br = b.Slice(r0, n);
            Moments.WeightedSumAndDot(dy, gamma, h, [], blockRows, ar, br);
            if (centred) TensorPrimitives.Multiply(ar, s, ar);
            else ar.Clear();
            TensorPrimitives.Multiply(br, s, br);
            TensorPrimitives.Divide(ar, d, ar);
            TensorPrimitives.Divide(br, d, br);
            Kernels.Backward(dy, gamma, x, blockRows, mu, s, s, ar, br, dx.Span.Slice(r0 * d, n * d), Range.All);
        }
    }
}

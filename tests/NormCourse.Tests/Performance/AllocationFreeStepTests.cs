using NormCourse.Layers;
using NormCourse.Normalization;
using NormCourse.Tensors;

namespace NormCourse.Tests.Performance;

/// <summary>
/// After warm-up, a training step of the §4.1 network (Linear, BatchNorm1d, Sigmoid, softmax cross-entropy, SGD)
/// allocates nothing: every layer reuses its buffers. Counted with the runtime's per-thread allocation counter,
/// not timed.
/// </summary>
public class AllocationFreeStepTests
{
    [Theory]
    [InlineData(true, 60)]
    [InlineData(false, 60)]
    [InlineData(true, 256)]
    public void Training_steps_allocate_nothing_after_warm_up(bool batchNorm, int batch)
    {
        var random = new Random(42);
        var model = new Sequential<float>();
        int[] sizes = [784, 100, 100, 100];
        for (int l = 0; l < 3; l++)
        {
            model.Add(new Linear<float>(sizes[l], sizes[l + 1], random));
            if (batchNorm) model.Add(new BatchNorm1d<float>(sizes[l + 1]));
            model.Add(new Sigmoid<float>());
        }
        model.Add(new Linear<float>(100, 10, random));
        var loss = new SoftmaxCrossEntropy<float>();
        Parameter<float>[] parameters = [.. model.Parameters()];
        var x = Tensor<float>.Zeros(batch, 784);
        Init.Uniform(x, 0, 1, random);
        var labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = random.Next(10);

        void Step()
        {
            var logits = model.Forward(x);
            loss.Forward(logits, labels);
            model.Backward(loss.Backward());
            foreach (var p in parameters)
            {
                TensorPrimitives.MultiplyAdd(p.Grad.Span, -0.1f, p.Value.Span, p.Value.Span);
                p.ZeroGrad();
            }
        }

        for (int i = 0; i < 5; i++) Step();
        // Three windows of 20 steps, the least counted: an allocation in the step shows in every window, while a
        // one-off allocation by the runtime itself (a buffer pool refilled after a collection elsewhere in a parallel
        // test run) shows in one at most.
        long least = long.MaxValue;
        for (int window = 0; window < 3; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++) Step();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, least);
    }

    [Fact]
    public void The_counter_sees_an_allocating_step()
    {
        // The measurement can fail: a layer that makes a new output each call is counted.
        var layer = new BatchNorm1d<float>(100);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++) layer.Forward(Tensor<float>.Zeros(60, 100));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before >= 3 * 60 * 100 * sizeof(float));
    }
}

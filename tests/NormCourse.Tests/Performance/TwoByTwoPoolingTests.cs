using NormCourse.Layers;
using NormCourse.Tensors;

namespace NormCourse.Tests.Performance;

/// <summary>
/// The 2×2, stride-2 float pooling loops against the layers' window-by-window definitions: the same floats, the same
/// argmax, at every row width from the narrowest they take (4 windows, one vector) to LeNet's, with odd sizes whose
/// last row and column no window covers.
/// </summary>
public class TwoByTwoPoolingTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 3, 8, 8 },      // output rows of exactly one vector of windows
        { 2, 9, 11 },     // odd H and W: a row and a column no window covers; rows of 5 windows, the last four overlapping
        { 4, 10, 10 },    // LeNet's second pooling: rows of 5
        { 2, 28, 28 },    // LeNet's first: rows of 14
        { 1, 2, 30 },     // one row of windows
        { 2, 6, 19 },     // rows of 9 windows: two vectors and an overlapping third
    };

    /// <summary>Values with many ties (small integers, +0 and −0), some NaNs and infinities.</summary>
    private static float[] TiesAndSpecials(int length, int seed)
    {
        var random = new Random(seed);
        var x = new float[length];
        for (int i = 0; i < x.Length; i++)
        {
            int pick = random.Next(40);
            x[i] = pick switch
            {
                0 => float.NaN,
                1 => BitConverter.Int32BitsToSingle(unchecked((int)0xFFC12345)),   // a NaN with another sign and payload
                2 => float.PositiveInfinity,
                3 => float.NegativeInfinity,
                4 => -0f,
                5 => 0f,
                _ => random.Next(-3, 4),
            };
        }
        return x;
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Max_equals_the_window_loop_with_ties_NaNs_and_infinities(int planes, int h, int w)
    {
        Assert.True(TwoByTwoPooling.Applies<float>(2, 2, w / 2));
        for (int seed = 0; seed < 20; seed++)
        {
            var x = TiesAndSpecials(planes * h * w, seed);
            int windows = planes * (h / 2) * (w / 2);
            float[] y = new float[windows], yLoop = new float[windows];
            int[] at = new int[windows], atLoop = new int[windows];
            TwoByTwoPooling.Max(x, planes, h, w, y, at);
            MaxPool2d<float>.ForwardLoop(x, planes, h, w, 2, 2, yLoop, atLoop);
            Assert.Equal(Bits(yLoop), Bits(y));
            Assert.Equal(atLoop, at);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Average_equals_the_window_loop_in_its_order_of_additions(int planes, int h, int w)
    {
        // Magnitudes 1e-3…1e8: adding the four values in another order gives other floats.
        var random = new Random(h * w);
        var x = new float[planes * h * w];
        for (int i = 0; i < x.Length; i++) x[i] = (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 9)));
        int windows = planes * (h / 2) * (w / 2);
        float[] y = new float[windows], yLoop = new float[windows];
        TwoByTwoPooling.Average(x, planes, h, w, y);
        AvgPool2d<float>.ForwardLoop(x, planes, h, w, 2, 2, yLoop);
        Assert.Equal(yLoop, y);

        // And the sum PyTorch's loop forms, written out for the first window of every plane: (((0 + a) + b) + c) + d.
        for (int p = 0; p < planes; p++)
        {
            int top = p * h * w;
            float sum = 0f;
            sum += x[top];
            sum += x[top + 1];
            sum += x[top + w];
            sum += x[top + w + 1];
            Assert.Equal(sum / 4f, y[p * (h / 2) * (w / 2)]);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Average_backward_overwrites_dx_with_the_loop_s_values(int planes, int h, int w)
    {
        var random = new Random(7 * h + w);
        int windows = planes * (h / 2) * (w / 2);
        var dy = new float[windows];
        for (int i = 0; i < dy.Length; i++) dy[i] = random.NextSingle() * 2 - 1;
        var dx = Enumerable.Repeat(float.NaN, planes * h * w).ToArray();   // stale values that must not survive
        var dxLoop = new float[planes * h * w];
        TwoByTwoPooling.AverageBackward(dy, planes, h, w, dx);
        AvgPool2d<float>.BackwardLoop(dy, planes, h, w, 2, 2, dxLoop);
        Assert.Equal(dxLoop, dx);
    }

    [Theory]
    [InlineData(2, 2, 3, false)]   // rows of 3 windows: narrower than a vector
    [InlineData(3, 2, 8, false)]   // 3×3 windows
    [InlineData(2, 1, 8, false)]   // overlapping windows
    [InlineData(2, 2, 4, true)]
    public void Applies_only_to_2x2_windows_at_stride_2_in_rows_of_a_vector_or_more(int kernel, int stride, int outW, bool applies)
    {
        Assert.Equal(applies, TwoByTwoPooling.Applies<float>(kernel, stride, outW));
        Assert.False(TwoByTwoPooling.Applies<double>(kernel, stride, outW));
    }

    [Fact]
    public void The_layers_give_float32_what_they_give_float64()
    {
        // Through the layers, forward and backward: float32 takes the vector loops, float64 the window loops, and
        // small integers make every sum and every share exact in both.
        var random = new Random(3);
        var x64 = Tensor<double>.Zeros(3, 2, 12, 13);
        var xs = x64.Span;
        for (int i = 0; i < xs.Length; i++) xs[i] = random.Next(-8, 9);
        var x32 = Tensor<float>.FromArray([.. x64.Data.Select(v => (float)v)], 3, 2, 12, 13);
        var dy64 = Tensor<double>.Zeros(3, 2, 6, 6);
        var dys = dy64.Span;
        for (int i = 0; i < dys.Length; i++) dys[i] = random.Next(-8, 9);
        var dy32 = Tensor<float>.FromArray([.. dy64.Data.Select(v => (float)v)], 3, 2, 6, 6);

        var (max32, max64) = (new MaxPool2d<float>(2), new MaxPool2d<double>(2));
        Assert.Equal(max64.Forward(x64).Data, max32.Forward(x32).Data.Select(v => (double)v));
        Assert.Equal(max64.Backward(dy64).Data, max32.Backward(dy32).Data.Select(v => (double)v));
        var (avg32, avg64) = (new AvgPool2d<float>(2), new AvgPool2d<double>(2));
        Assert.Equal(avg64.Forward(x64).Data, avg32.Forward(x32).Data.Select(v => (double)v));
        Assert.Equal(avg64.Backward(dy64).Data, avg32.Backward(dy32).Data.Select(v => (double)v));
    }

    [Fact]
    public void Short_spans_are_refused_by_name()
    {
        var ex = Assert.Throws<ArgumentException>(() => TwoByTwoPooling.Average(new float[63], 1, 8, 8, new float[16]));
        Assert.Contains("1 planes of 8×8 need 64", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => TwoByTwoPooling.Max(new float[64], 1, 8, 8, new float[16], new int[15]));
        Assert.Contains("argmax", ex.Message);
    }
}

using NormCourse.Tensors;

namespace NormCourse.Tests.Performance;

/// <summary>The in-place updates against the scalar definitions, bit for bit, with vector tails of every length.</summary>
public class InPlaceTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(1000)]
    public void AddScaled_and_Add_equal_the_scalar_loop_exactly(int n)
    {
        var random = new Random(n);
        float[] d = Enumerable.Range(0, n).Select(_ => random.NextSingle() * 4 - 2).ToArray();
        float[] x = Enumerable.Range(0, n).Select(_ => random.NextSingle() * 4 - 2).ToArray();
        float s = -0.137f;
        float[] expectedScaled = d.Select((v, i) => v + s * x[i]).ToArray();
        float[] expectedSum = d.Select((v, i) => v + x[i]).ToArray();

        float[] scaled = (float[])d.Clone();
        InPlace.AddScaled<float>(scaled, x, s);
        float[] sum = (float[])d.Clone();
        InPlace.Add<float>(sum, x);
        Assert.Equal(expectedScaled, scaled);
        Assert.Equal(expectedSum, sum);

        double[] dd = d.Select(v => (double)v).ToArray();
        InPlace.AddScaled<double>(dd, x.Select(v => (double)v).ToArray(), 0.25);
        Assert.Equal(d.Select((v, i) => v + 0.25 * x[i]).ToArray(), dd);
    }

    [Fact]
    public void Spans_of_different_lengths_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => InPlace.Add<float>(new float[3], new float[4]));
        Assert.Contains("3 and 4", e.Message);
    }
}

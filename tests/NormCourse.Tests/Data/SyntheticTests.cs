using NormCourse.Data;

namespace NormCourse.Tests.Data;

public class SyntheticTests
{
    [Fact]
    public void Noise_free_spirals_lie_on_r_equal_t_with_the_class_offset()
    {
        const double turns = 1.5;
        var d = Synthetic.Spirals(countPerClass: 200, noise: 0, seed: 1, classes: 2, turns: turns);
        Assert.Equal([400, 2], d.Features.Shape.ToArray());
        Assert.Equal([200, 200], d.ClassCounts());
        for (int i = 0; i < d.Count; i++)
        {
            double x = d.Features[i, 0], y = d.Features[i, 1];
            double r = Math.Sqrt(x * x + y * y);
            // On spiral c, the angle is 2π·turns·r + π·c (mod 2π).
            double expected = 2 * Math.PI * turns * r + Math.PI * d.Labels[i];
            double diff = Math.IEEERemainder(Math.Atan2(y, x) - expected, 2 * Math.PI);
            Assert.True(Math.Abs(diff) < 1e-4, $"point {i}: angle off by {diff}");
            Assert.InRange(r, 0, 1);
        }
    }

    [Fact]
    public void Noise_free_moons_lie_on_their_two_circles()
    {
        var d = Synthetic.Moons(count: 101, noise: 0, seed: 2);
        Assert.Equal([51, 50], d.ClassCounts());
        for (int i = 0; i < d.Count; i++)
        {
            double x = d.Features[i, 0], y = d.Features[i, 1];
            // Class 0: the upper unit half circle; class 1: the lower one centred at (1, 0.5).
            var (cx, cy, upper) = d.Labels[i] == 0 ? (0.0, 0.0, true) : (1.0, 0.5, false);
            Assert.Equal(1.0, Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)), 5);
            Assert.True(upper ? y >= -1e-6 : y <= 0.5 + 1e-6);
        }
    }

    [Fact]
    public void Blobs_have_the_requested_spread_around_distinct_centres()
    {
        var d = Synthetic.Blobs(countPerClass: 2000, numClasses: 3, dims: 4, spread: 0.5, seed: 3);
        Assert.Equal([6000, 4], d.Features.Shape.ToArray());
        for (int c = 0; c < 3; c++)
        {
            var rows = Enumerable.Range(0, d.Count).Where(i => d.Labels[i] == c).ToArray();
            for (int j = 0; j < 4; j++)
            {
                var v = rows.Select(i => (double)d.Features[i, j]).ToArray();
                double mean = v.Average();
                double std = Math.Sqrt(v.Select(a => (a - mean) * (a - mean)).Average());
                Assert.InRange(std, 0.5 * 0.95, 0.5 * 1.05); // 2000 samples: the std's relative error is ~1.6%
                Assert.InRange(mean, -10.1, 10.1);
            }
        }
    }

    [Fact]
    public void Random_teacher_inputs_are_standard_normal_and_all_classes_occur()
    {
        var d = Synthetic.RandomTeacher(count: 5000, inputDim: 10, numClasses: 4, seed: 4);
        Assert.Equal([5000, 10], d.Features.Shape.ToArray());
        var x = d.Features.Data.Select(v => (double)v).ToArray();
        double mean = x.Average();
        double var = x.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, -0.03, 0.03); // 50,000 samples: standard error 0.0045
        Assert.InRange(var, 0.97, 1.03);
        Assert.All(d.ClassCounts(), c => Assert.True(c > 100, $"class count {c}"));
    }

    [Fact]
    public void Every_generator_is_reproducible_from_its_seed()
    {
        var makers = new Func<int, LabeledDataset>[]
        {
            s => Synthetic.Spirals(50, 0.1, s),
            s => Synthetic.Moons(100, 0.1, s),
            s => Synthetic.Blobs(30, 3, 2, 1.0, s),
            s => Synthetic.RandomTeacher(100, 5, 3, s),
        };
        foreach (var make in makers)
        {
            var a = make(42);
            var b = make(42);
            var c = make(43);
            Assert.Equal(a.Features.Data, b.Features.Data);
            Assert.Equal(a.Labels, b.Labels);
            Assert.NotEqual(a.Features.Data, c.Features.Data);
        }
    }

    [Fact]
    public void Examples_come_shuffled_not_sorted_by_class()
    {
        var d = Synthetic.Spirals(100, 0.1, seed: 5);
        Assert.Contains(1, d.Labels.Take(20));
        Assert.Contains(0, d.Labels.Take(20));
    }
}

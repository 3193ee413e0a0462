using Microsoft.Data.Analysis;

namespace NormCourse.Data;

/// <summary>
/// A dataset at a glance, as Microsoft.Data.Analysis <see cref="DataFrame"/>s that notebooks display as tables:
/// class counts, feature (pixel) statistics, and a preview of the first examples.
/// </summary>
public static class DatasetSummary
{
    /// <summary>One row per class: <c>class</c>, <c>name</c>, <c>count</c>, <c>fraction</c> (count / N).</summary>
    public static DataFrame ClassCounts(LabeledDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var counts = data.ClassCounts();
        var classes = Enumerable.Range(0, data.NumClasses).ToArray();
        return new DataFrame(
            new Int32DataFrameColumn("class", classes),
            new StringDataFrameColumn("name", data.ClassNames),
            new Int32DataFrameColumn("count", counts),
            new DoubleDataFrameColumn("fraction", counts.Select(c => data.Count == 0 ? 0.0 : (double)c / data.Count)));
    }

    /// <summary>One row per class: <c>class</c>, <c>name</c>, <c>train</c> and <c>test</c> counts.</summary>
    public static DataFrame ClassCounts(DatasetSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return new DataFrame(
            new Int32DataFrameColumn("class", Enumerable.Range(0, split.Train.NumClasses)),
            new StringDataFrameColumn("name", split.Train.ClassNames),
            new Int32DataFrameColumn("train", split.Train.ClassCounts()),
            new Int32DataFrameColumn("test", split.Test.ClassCounts()));
    }

    /// <summary>
    /// Feature statistics per class and over all examples (last row, class "all"): <c>class</c>, <c>count</c>,
    /// <c>mean</c>, <c>std</c> (population), <c>min</c>, <c>max</c>, <c>zero_fraction</c> (values exactly 0, the
    /// background of MNIST-like images). Sums run in double precision.
    /// </summary>
    public static DataFrame PixelStatistics(LabeledDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int k = data.NumClasses, d = data.FeatureLength;
        var acc = new Moments[k + 1];
        for (int i = 0; i < acc.Length; i++) acc[i] = new Moments();
        var x = data.Features.Span;
        for (int n = 0; n < data.Count; n++)
        {
            var row = x.Slice(n * d, d);
            acc[data.Labels[n]].Add(row);
            acc[k].Add(row);
        }
        return new DataFrame(
            new StringDataFrameColumn("class", data.ClassNames.Append("all")),
            new Int32DataFrameColumn("count", data.ClassCounts().Append(data.Count)),
            new DoubleDataFrameColumn("mean", acc.Select(a => a.Mean)),
            new DoubleDataFrameColumn("std", acc.Select(a => a.Std)),
            new DoubleDataFrameColumn("min", acc.Select(a => a.Min)),
            new DoubleDataFrameColumn("max", acc.Select(a => a.Max)),
            new DoubleDataFrameColumn("zero_fraction", acc.Select(a => a.ZeroFraction)));
    }

    /// <summary>
    /// The first <paramref name="rows"/> examples: <c>index</c>, <c>label</c>, <c>name</c>, and each example's
    /// feature <c>mean</c>, <c>min</c>, <c>max</c> and <c>nonzero</c> count.
    /// </summary>
    public static DataFrame Preview(LabeledDataset data, int rows = 10)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        int m = Math.Min(rows, data.Count), d = data.FeatureLength;
        var x = data.Features.Data;
        var mean = new double[m];
        var min = new double[m];
        var max = new double[m];
        var nonzero = new int[m];
        for (int n = 0; n < m; n++)
        {
            var row = x.AsSpan(n * d, d);
            mean[n] = d == 0 ? 0 : TensorPrimitives.Sum<float>(row) / (double)d;
            min[n] = d == 0 ? 0 : TensorPrimitives.Min<float>(row);
            max[n] = d == 0 ? 0 : TensorPrimitives.Max<float>(row);
            foreach (float v in row) if (v != 0) nonzero[n]++;
        }
        return new DataFrame(
            new Int32DataFrameColumn("index", Enumerable.Range(0, m)),
            new Int32DataFrameColumn("label", data.Labels.Take(m)),
            new StringDataFrameColumn("name", data.Labels.Take(m).Select(y => data.ClassNames[y])),
            new DoubleDataFrameColumn("mean", mean),
            new DoubleDataFrameColumn("min", min),
            new DoubleDataFrameColumn("max", max),
            new Int32DataFrameColumn("nonzero", nonzero));
    }

    // Running count, sum, sum of squares, extremes and zeros of a group of values.
    private sealed class Moments
    {
        private long _n, _zeros;
        private double _sum, _sumSq;

        public double Min { get; private set; } = double.NaN;
        public double Max { get; private set; } = double.NaN;
        public double Mean => _n == 0 ? double.NaN : _sum / _n;
        public double Std => _n == 0 ? double.NaN : Math.Sqrt(Math.Max(0, _sumSq / _n - Mean * Mean));
        public double ZeroFraction => _n == 0 ? double.NaN : (double)_zeros / _n;

        public void Add(ReadOnlySpan<float> values)
        {
            foreach (float f in values)
            {
                double v = f;
                _sum += v;
                _sumSq += v * v;
                if (v == 0) _zeros++;
                Min = _n == 0 || v < Min ? v : Min;
                Max = _n == 0 || v > Max ? v : Max;
                _n++;
            }
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NormCourse.Layers;

/// <summary>
/// The pooling every LeNet uses — 2×2 windows at stride 2 — over float32, four windows at a time. Each window's four
/// values are x[2oh, 2ow], x[2oh, 2ow + 1], x[2oh + 1, 2ow], x[2oh + 1, 2ow + 1], named a, b, c, d here: a and b are the
/// even and odd floats of the window row's pair of vectors, c and d those of the row below.
/// </summary>
/// <remarks>
/// Why it exists: the layers' loops over single windows are their readable definition, but a comparison per value
/// whose outcome is random cost a mispredicted branch every other value — MaxPool2d over LeNet's (64, 6, 28, 28) took
/// 640 µs of a 4.1 ms training step on the course's machine — and AvgPool2d's per-window calls cost as much. These give
/// the same floats (tested against the loops): the same comparisons and the same order of additions, in lanes.
/// Vectors of four floats suffice: LeNet's output rows are 5 and 14 windows wide, and four windows read 64 bytes,
/// as much as the caches deliver per step at this arithmetic.
/// </remarks>
internal static unsafe class TwoByTwoPooling
{
    /// <summary>
    /// Whether the layers take these loops: 2×2 windows at stride 2 over float32, output rows of at least four windows
    /// (the last four of a row overlap the ones before), on a machine that accelerates 128-bit vectors.
    /// </summary>
    public static bool Applies<T>(int kernel, int stride, int outW) =>
        typeof(T) == typeof(float) && kernel == 2 && stride == 2 && outW >= Vector128<float>.Count
        && Vector128.IsHardwareAccelerated;

    /// <summary>
    /// y = each window's largest value and argmax its flat index in x, as <see cref="MaxPool2d{T}"/>'s loop: the
    /// candidates in the order a, b, c, d, a later one taken when strictly greater, or when it is NaN and the best so
    /// far is not (so the first maximum wins ties, and the first NaN wins).
    /// </summary>
    public static void Max(ReadOnlySpan<float> x, int planes, int h, int w, Span<float> y, Span<int> argmax)
    {
        int outH = h / 2, outW = w / 2, chunks = (outW + 3) / 4;
        CheckSizes(x.Length, y.Length, planes, h, w);
        if (argmax.Length < y.Length) throw new ArgumentException($"argmax holds {argmax.Length} indices; y has {y.Length}.", nameof(argmax));
        fixed (float* px = x, py = y)
        fixed (int* pa = argmax)
        {
            var twice = Vector128.Create(0, 2, 4, 6);
            for (int plane = 0; plane < planes; plane++)
            for (int oh = 0; oh < outH; oh++)
            {
                int rowStart = (plane * h + 2 * oh) * w, outStart = (plane * outH + oh) * outW;
                for (int chunk = 0; chunk < chunks; chunk++)
                {
                    int ow = FirstWindow(chunk, outW), top = rowStart + 2 * ow;
                    var (a, b) = Pairs(px + top);
                    var (c, d) = Pairs(px + top + w);
                    var first = Vector128.Create(top) + twice;
                    var best = a;
                    var at = first;
                    Take(b, first + Vector128<int>.One, ref best, ref at);
                    Take(c, first + Vector128.Create(w), ref best, ref at);
                    Take(d, first + Vector128.Create(w + 1), ref best, ref at);
                    best.Store(py + outStart + ow);
                    at.Store(pa + outStart + ow);
                }
            }
        }
    }

    /// <summary>y = each window's mean, summed as <see cref="AvgPool2d{T}"/>'s loop sums it: ((a + b) + c) + d, then / 4.</summary>
    public static void Average(ReadOnlySpan<float> x, int planes, int h, int w, Span<float> y)
    {
        int outH = h / 2, outW = w / 2, chunks = (outW + 3) / 4;
        CheckSizes(x.Length, y.Length, planes, h, w);
        fixed (float* px = x, py = y)
        {
            var area = Vector128.Create(4f);
            for (int plane = 0; plane < planes; plane++)
            for (int oh = 0; oh < outH; oh++)
            {
                float* top = px + (plane * h + 2 * oh) * w;
                float* row = py + (plane * outH + oh) * outW;
                for (int chunk = 0; chunk < chunks; chunk++)
                {
                    int ow = FirstWindow(chunk, outW);
                    var (a, b) = Pairs(top + 2 * ow);
                    var (c, d) = Pairs(top + w + 2 * ow);
                    ((((a + b) + c) + d) / area).Store(row + ow);
                }
            }
        }
    }

    /// <summary>
    /// dx = dy/4 on each of a window's four pixels (y = (a + b + c + d)/4, so ∂y/∂a = … = 1/4), and 0 on a last row or
    /// column that no window covers (odd H or W). Overwrites dx.
    /// </summary>
    public static void AverageBackward(ReadOnlySpan<float> dy, int planes, int h, int w, Span<float> dx)
    {
        int outH = h / 2, outW = w / 2, chunks = (outW + 3) / 4;
        CheckSizes(dx.Length, dy.Length, planes, h, w);
        fixed (float* pdy = dy, pdx = dx)
        {
            var area = Vector128.Create(4f);
            for (int plane = 0; plane < planes; plane++)
            {
                for (int oh = 0; oh < outH; oh++)
                {
                    float* top = pdx + (plane * h + 2 * oh) * w;
                    float* row = pdy + (plane * outH + oh) * outW;
                    for (int chunk = 0; chunk < chunks; chunk++)
                    {
                        int ow = FirstWindow(chunk, outW);
                        var share = Vector128.Load(row + ow) / area;
                        // Each share twice, side by side: the pixels 2ow…2ow + 7 of both rows of the windows.
                        var lower = Vector128.Shuffle(share, Vector128.Create(0, 0, 1, 1));
                        var upper = Vector128.Shuffle(share, Vector128.Create(2, 2, 3, 3));
                        lower.Store(top + 2 * ow);
                        upper.Store(top + 2 * ow + 4);
                        lower.Store(top + w + 2 * ow);
                        upper.Store(top + w + 2 * ow + 4);
                    }
                    if (w % 2 == 1)
                    {
                        top[w - 1] = 0;
                        top[2 * w - 1] = 0;
                    }
                }
                if (h % 2 == 1) new Span<float>(pdx + (plane * h + h - 1) * w, w).Clear();
            }
        }
    }

    /// <summary>
    /// The first of the four windows a row's <paramref name="chunk"/>-th step computes: every fourth, except that the
    /// last step takes the row's last four, overlapping the step before when the row is not a multiple of four wide.
    /// </summary>
    private static int FirstWindow(int chunk, int outW) => Math.Min(4 * chunk, outW - 4);

    /// <summary>
    /// The even and the odd floats of the eight at <paramref name="source"/>: a 64-bit lane holds an even float in its
    /// low half and the next odd one in its high half, so narrowing the lanes to 32 bits keeps the even ones.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float> Evens, Vector128<float> Odds) Pairs(float* source)
    {
        var first = Vector128.Load(source).AsUInt64();
        var second = Vector128.Load(source + 4).AsUInt64();
        var evens = Vector128.Narrow(first, second).AsSingle();
        var odds = Vector128.Narrow(first >>> 32, second >>> 32).AsSingle();
        return (evens, odds);
    }

    /// <summary>Where the candidate beats the best so far — strictly greater, or NaN against a number — it becomes the best.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(Vector128<float> candidate, Vector128<int> index, ref Vector128<float> best, ref Vector128<int> at)
    {
        var isNaN = ~Vector128.Equals(candidate, candidate);
        var bestIsNaN = ~Vector128.Equals(best, best);
        var wins = Vector128.GreaterThan(candidate, best) | Vector128.AndNot(isNaN, bestIsNaN);
        best = Vector128.ConditionalSelect(wins, candidate, best);
        at = Vector128.ConditionalSelect(wins.AsInt32(), index, at);
    }

    private static void CheckSizes(int inputLength, int outputLength, int planes, int h, int w)
    {
        long pixels = (long)planes * h * w, windows = (long)planes * (h / 2) * (w / 2);
        if (inputLength < pixels) throw new ArgumentException($"The input holds {inputLength} values; {planes} planes of {h}×{w} need {pixels}.");
        if (outputLength < windows) throw new ArgumentException($"The output holds {outputLength} values; {planes} planes of {h / 2}×{w / 2} windows need {windows}.");
    }
}

using System.Buffers;
using System.Runtime.Intrinsics;

namespace NormCourse.Normalization;

/// <summary>
/// <see cref="Reference.NormalizationKernels"/> for float32 on AVX-512 machines: the same formulas, 16 values per
/// instruction, with the multiply-add fused. With Inner = 1 ((N, C) BatchNorm) a channel's values are a row apart,
/// so the vectors run across channels with the per-channel constants loaded as vectors; otherwise they run along
/// each channel's (or row's) contiguous values with the constants broadcast.
/// </summary>
internal static unsafe class FloatKernels
{
    private const int Lanes = 16;

    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    public static void Normalize(ReadOnlySpan<float> x, ChannelLayout layout, ReadOnlySpan<double> mean, ReadOnlySpan<double> invStd,
        ReadOnlySpan<double> scale, ReadOnlySpan<double> shift, Span<float> xhat, Span<float> y)
    {
        var (outer, channels, inner) = layout;
        fixed (float* px = x, ph = xhat, py = y)
        {
            if (inner == 1)
            {
                float[] rented = ArrayPool<float>.Shared.Rent(4 * channels);
                fixed (float* p = rented)
                {
                    float* mu = p, s = p + channels, g = p + 2 * channels, t = p + 3 * channels;
                    for (int c = 0; c < channels; c++)
                    {
                        mu[c] = (float)mean[c];
                        s[c] = (float)invStd[c];
                        g[c] = (float)scale[c];
                        t[c] = (float)shift[c];
                    }
                    for (int o = 0; o < outer; o++)
                    {
                        int row = o * channels, c = 0;
                        for (; c <= channels - Lanes; c += Lanes)
                        {
                            var h = (Vector512.Load(px + row + c) - Vector512.Load(mu + c)) * Vector512.Load(s + c);
                            h.Store(ph + row + c);
                            Vector512.FusedMultiplyAdd(Vector512.Load(g + c), h, Vector512.Load(t + c)).Store(py + row + c);
                        }
                        for (; c < channels; c++)
                        {
                            float h = (px[row + c] - mu[c]) * s[c];
                            ph[row + c] = h;
                            py[row + c] = g[c] * h + t[c];
                        }
                    }
                }
                ArrayPool<float>.Shared.Return(rented);
                return;
            }
            for (int o = 0; o < outer; o++)
                for (int c = 0; c < channels; c++)
                {
                    int start = (o * channels + c) * inner;
                    Run(px + start, ph + start, py + start, inner, (float)mean[c], (float)invStd[c], (float)scale[c], (float)shift[c]);
                }
        }

        static void Run(float* x, float* xhat, float* y, int n, float mean, float invStd, float gamma, float beta)
        {
            Vector512<float> mu = Vector512.Create(mean), s = Vector512.Create(invStd), g = Vector512.Create(gamma), t = Vector512.Create(beta);
            int i = 0;
            for (; i <= n - Lanes; i += Lanes)
            {
                var h = (Vector512.Load(x + i) - mu) * s;
                h.Store(xhat + i);
                Vector512.FusedMultiplyAdd(g, h, t).Store(y + i);
            }
            for (; i < n; i++)
            {
                float h = (x[i] - mean) * invStd;
                xhat[i] = h;
                y[i] = gamma * h + beta;
            }
        }
    }

    public static void NormalizeRows(ReadOnlySpan<float> x, ChannelLayout rows, ReadOnlySpan<double> mean, ReadOnlySpan<double> invStd,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> xhat, Span<float> y)
    {
        int d = rows.Inner;
        fixed (float* px = x, ph = xhat, py = y, pg = gamma, pb = beta)
        {
            for (int r = 0; r < rows.Channels; r++)
            {
                float mu = mean.IsEmpty ? 0 : (float)mean[r], s = (float)invStd[r];
                Vector512<float> muV = Vector512.Create(mu), sV = Vector512.Create(s);
                float* xr = px + r * d, hr = ph + r * d, yr = py + r * d;
                int j = 0;
                for (; j <= d - Lanes; j += Lanes)
                {
                    var h = (Vector512.Load(xr + j) - muV) * sV;
                    h.Store(hr + j);
                    var v = pg == null ? h : Vector512.Load(pg + j) * h;
                    if (pb != null) v += Vector512.Load(pb + j);
                    v.Store(yr + j);
                }
                for (; j < d; j++)
                {
                    float h = (xr[j] - mu) * s;
                    hr[j] = h;
                    yr[j] = (pg == null ? h : pg[j] * h) + (pb == null ? 0 : pb[j]);
                }
            }
        }
    }

    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> weight, ReadOnlySpan<float> xhat, ChannelLayout layout,
        ReadOnlySpan<double> k, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<float> dx)
    {
        var (outer, channels, inner) = layout;
        fixed (float* pdy = dy, pw = weight, ph = xhat, pdx = dx)
        {
            if (inner == 1 && pw == null)
            {
                float[] rented = ArrayPool<float>.Shared.Rent(3 * channels);
                fixed (float* p = rented)
                {
                    float* kc = p, ac = p + channels, bc = p + 2 * channels;
                    for (int c = 0; c < channels; c++)
                    {
                        kc[c] = (float)k[c];
                        ac[c] = (float)a[c];
                        bc[c] = (float)b[c];
                    }
                    for (int o = 0; o < outer; o++)
                    {
                        int row = o * channels, c = 0;
                        for (; c <= channels - Lanes; c += Lanes)
                        {
                            var t = Vector512.Load(pdy + row + c) - Vector512.Load(ac + c) - Vector512.Load(ph + row + c) * Vector512.Load(bc + c);
                            (Vector512.Load(kc + c) * t).Store(pdx + row + c);
                        }
                        for (; c < channels; c++)
                            pdx[row + c] = kc[c] * (pdy[row + c] - ac[c] - ph[row + c] * bc[c]);
                    }
                }
                ArrayPool<float>.Shared.Return(rented);
                return;
            }
            for (int o = 0; o < outer; o++)
                for (int c = 0; c < channels; c++)
                {
                    int start = (o * channels + c) * inner;
                    Run(pdy + start, pw, ph + start, pdx + start, inner, (float)k[c], (float)a[c], (float)b[c]);
                }
        }

        static void Run(float* dy, float* w, float* xhat, float* dx, int n, float k, float a, float b)
        {
            Vector512<float> kV = Vector512.Create(k), aV = Vector512.Create(a), bV = Vector512.Create(b);
            int i = 0;
            for (; i <= n - Lanes; i += Lanes)
            {
                var g = Vector512.Load(dy + i);
                if (w != null) g *= Vector512.Load(w + i);
                (kV * (g - aV - Vector512.Load(xhat + i) * bV)).Store(dx + i);
            }
            for (; i < n; i++)
            {
                float g = w == null ? dy[i] : w[i] * dy[i];
                dx[i] = k * (g - a - xhat[i] * b);
            }
        }
    }
}

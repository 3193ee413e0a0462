using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NormCourse.Normalization;

/// <summary>
/// <see cref="Reference.NormalizationKernels"/> for float32 on AVX-512 machines: the same formulas, 16 values per
/// instruction, with the multiply-adds fused. With Inner = 1 ((N, C) BatchNorm) a channel's values are a row apart,
/// so the vectors run across channels with the per-channel constants loaded as vectors; otherwise they run along
/// each channel's (or row's) contiguous values with the constants broadcast.
/// The loops are compiled fully optimised on first use (AggressiveOptimization), here and in <see cref="FloatMoments"/>
/// and <see cref="FloatRowNorm"/>: under tiered compilation they would first run as quickly compiled code, for a time
/// that depends on what else the process is compiling, and a short measurement (lesson 07's) could catch that.
/// </summary>
internal static unsafe class FloatKernels
{
    private const int Lanes = 16;

    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    /// <summary>y = scale·((x − μ)·invstd) + shift, per channel, for the channels first…end−1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Normalize(ReadOnlySpan<float> x, ChannelLayout layout, (int First, int End) block, ReadOnlySpan<double> mean,
        ReadOnlySpan<double> invStd, ReadOnlySpan<double> scale, ReadOnlySpan<double> shift, Span<float> y)
    {
        var (outer, channels, inner) = layout;
        var (first, end) = block;
        fixed (float* px = x, py = y)
        {
            if (inner == 1)
            {
                // The block's constants as float rows, so that a row of x meets them 16 channels at a time.
                int width = end - first;
                float* constants = stackalloc float[3 * width];
                float* mu = constants, s = constants + width, t = constants + 2 * width;
                for (int c = 0; c < width; c++)
                {
                    mu[c] = (float)mean[first + c];
                    s[c] = (float)(scale[first + c] * invStd[first + c]);   // γ·invstd folded: one multiply-add per value
                    t[c] = (float)shift[first + c];
                }
                for (int o = 0; o < outer; o++)
                {
                    float* xr = px + o * channels + first, yr = py + o * channels + first;
                    int c = 0;
                    for (; c <= width - Lanes; c += Lanes)
                        Vector512.FusedMultiplyAdd(Vector512.Load(xr + c) - Vector512.Load(mu + c), Vector512.Load(s + c), Vector512.Load(t + c))
                            .Store(yr + c);
                    for (; c < width; c++) yr[c] = (xr[c] - mu[c]) * s[c] + t[c];
                }
                return;
            }
            for (int o = 0; o < outer; o++)
                for (int c = first; c < end; c++)
                {
                    int start = (o * channels + c) * inner;
                    Run(px + start, py + start, inner, (float)mean[c], (float)(scale[c] * invStd[c]), (float)shift[c]);
                }
        }

        static void Run(float* x, float* y, int n, float mean, float scaledInvStd, float beta)
        {
            Vector512<float> mu = Vector512.Create(mean), s = Vector512.Create(scaledInvStd), t = Vector512.Create(beta);
            int i = 0;
            for (; i <= n - Lanes; i += Lanes)
                Vector512.FusedMultiplyAdd(Vector512.Load(x + i) - mu, s, t).Store(y + i);
            for (; i < n; i++) y[i] = (x[i] - mean) * scaledInvStd + beta;
        }
    }

    /// <summary>y = γ ⊙ ((x − μ_r)·invstd_r) + β along each row (μ, γ, β optional).</summary>
    public static void NormalizeRows(ReadOnlySpan<float> x, ChannelLayout rows, ReadOnlySpan<double> mean, ReadOnlySpan<double> invStd,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y)
    {
        int d = rows.Inner;
        fixed (float* px = x, py = y, pg = gamma, pb = beta)
            for (int r = 0; r < rows.Channels; r++)
                NormalizeRow(px + r * d, d, mean.IsEmpty ? 0 : (float)mean[r], (float)invStd[r], pg, pb, py + r * d);
    }

    /// <summary>One row of <see cref="NormalizeRows"/>: γ and β may be null (1 and 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void NormalizeRow(float* x, int d, float mean, float invStd, float* gamma, float* beta, float* y)
    {
        Vector512<float> muV = Vector512.Create(mean), sV = Vector512.Create(invStd);
        int j = 0;
        for (; j <= d - Lanes; j += Lanes)
        {
            var h = (Vector512.Load(x + j) - muV) * sV;
            if (gamma != null) h *= Vector512.Load(gamma + j);
            if (beta != null) h += Vector512.Load(beta + j);
            h.Store(y + j);
        }
        for (; j < d; j++)
        {
            float h = (x[j] - mean) * invStd;
            y[j] = (gamma == null ? h : gamma[j] * h) + (beta == null ? 0 : beta[j]);
        }
    }

    /// <summary>dx = k·w·dy − a − b·x̂ with x̂ = (x − μ)·invstd recomputed, per channel, for the channels first…end−1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> weight, ReadOnlySpan<float> x, ChannelLayout layout,
        (int First, int End) block, ReadOnlySpan<double> mean, ReadOnlySpan<double> invStd, ReadOnlySpan<double> k, ReadOnlySpan<double> a,
        ReadOnlySpan<double> b, Span<float> dx)
    {
        var (outer, channels, inner) = layout;
        var (first, end) = block;
        fixed (float* pdy = dy, pw = weight, px = x, pdx = dx)
        {
            if (inner == 1 && pw == null)
            {
                // b·x̂ = (b·invstd)·(x − μ), and −a folds into the multiply-add: dx = k·dy − a − bs·(x − μ).
                int width = end - first;
                float* constants = stackalloc float[4 * width];
                float* mu = constants, kc = constants + width, ac = constants + 2 * width, bs = constants + 3 * width;
                for (int c = 0; c < width; c++)
                {
                    mu[c] = mean.IsEmpty ? 0 : (float)mean[first + c];
                    kc[c] = (float)k[first + c];
                    ac[c] = (float)a[first + c];
                    bs[c] = (float)(b[first + c] * invStd[first + c]);
                }
                for (int o = 0; o < outer; o++)
                {
                    int row = o * channels + first, c = 0;
                    for (; c <= width - Lanes; c += Lanes)
                    {
                        var kdy = Vector512.FusedMultiplyAdd(Vector512.Load(kc + c), Vector512.Load(pdy + row + c), -Vector512.Load(ac + c));
                        var centred = Vector512.Load(px + row + c) - Vector512.Load(mu + c);
                        Avx512F.FusedMultiplyAddNegated(Vector512.Load(bs + c), centred, kdy).Store(pdx + row + c);
                    }
                    for (; c < width; c++)
                        pdx[row + c] = kc[c] * pdy[row + c] - ac[c] - bs[c] * (px[row + c] - mu[c]);
                }
                return;
            }
            for (int o = 0; o < outer; o++)
                for (int c = first; c < end; c++)
                {
                    int start = (o * channels + c) * inner;
                    BackwardRun(pdy + start, pw, px + start, pdx + start, inner, mean.IsEmpty ? 0 : (float)mean[c],
                        (float)k[c], (float)a[c], (float)(b[c] * invStd[c]));
                }
        }
    }

    /// <summary>dx = k·w·dy − a − bs·(x − μ) along one contiguous run (w null: 1), bs = b·invstd.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardRun(float* dy, float* w, float* x, float* dx, int n, float mean, float k, float a, float bs)
    {
        Vector512<float> muV = Vector512.Create(mean), kV = Vector512.Create(k), aV = Vector512.Create(a), bV = Vector512.Create(bs);
        int i = 0;
        for (; i <= n - Lanes; i += Lanes)
        {
            var g = Vector512.Load(dy + i);
            if (w != null) g *= Vector512.Load(w + i);
            var kdy = Vector512.FusedMultiplyAdd(kV, g, -aV);
            Avx512F.FusedMultiplyAddNegated(bV, Vector512.Load(x + i) - muV, kdy).Store(dx + i);
        }
        for (; i < n; i++)
        {
            float g = w == null ? dy[i] : w[i] * dy[i];
            dx[i] = k * g - a - bs * (x[i] - mean);
        }
    }
}

using NormCourse.Tensors;

namespace NormCourse.Tests.Layers;

public class Im2ColTests
{
    [Fact]
    public void Unfold_lays_patches_out_as_columns()
    {
        // One 3×3 channel 1..9, k = 2, stride 1: four patches, row (i, j) of the matrix holds pixel (oh + i, ow + j).
        var columns = new double[4 * 4];
        Im2Col.Unfold<double>([1, 2, 3, 4, 5, 6, 7, 8, 9], 1, 3, 3, 2, 1, 0, columns);
        Assert.Equal([1, 2, 4, 5, /**/ 2, 3, 5, 6, /**/ 4, 5, 7, 8, /**/ 5, 6, 8, 9], columns);
    }

    [Theory]
    [InlineData(2, 5, 4, 3, 1, 0)]
    [InlineData(3, 6, 5, 3, 2, 1)]
    [InlineData(1, 4, 4, 2, 3, 2)]
    public void Fold_is_the_transpose_of_Unfold(int c, int h, int w, int k, int stride, int padding)
    {
        // ⟨Unfold(x), m⟩ = ⟨x, Fold(m)⟩ for every image x and column matrix m is what "transpose" means,
        // and it is exactly the property the convolution's backward pass relies on.
        int outLength = Im2Col.OutputSize(h, k, stride, padding) * Im2Col.OutputSize(w, k, stride, padding);
        var x = LayerTestData.Uniform(1, c * h * w).Data.ToArray();
        var m = LayerTestData.Uniform(2, c * k * k * outLength).Data.ToArray();
        var unfolded = new double[m.Length];
        var folded = new double[x.Length];

        Im2Col.Unfold<double>(x, c, h, w, k, stride, padding, unfolded);
        Im2Col.Fold<double>(m, c, h, w, k, stride, padding, folded);

        double left = unfolded.Zip(m, (a, b) => a * b).Sum();
        double right = x.Zip(folded, (a, b) => a * b).Sum();
        Assert.Equal(left, right, 1e-12);
    }

    [Theory]
    [InlineData(2, 5, 4, 3, 1, 0)]
    [InlineData(3, 6, 5, 3, 2, 1)]
    [InlineData(1, 7, 6, 5, 1, 2)]
    public void Several_images_fill_side_by_side_column_blocks_by_the_definition(int c, int h, int w, int k, int stride, int padding)
    {
        // columns[(ch, i, j), s·H'·W' + oh·W' + ow] = x[s, ch, oh·stride − p + i, ow·stride − p + j], zero in the padding.
        const int images = 3;
        int outH = Im2Col.OutputSize(h, k, stride, padding), outW = Im2Col.OutputSize(w, k, stride, padding), outLength = outH * outW;
        var x = LayerTestData.Uniform(5, images, c, h, w);
        var columns = new double[c * k * k * images * outLength];
        Array.Fill(columns, double.NaN);    // every value must be written

        Im2Col.Unfold<double>(x.Span, c, h, w, k, stride, padding, columns, images);

        for (int ch = 0; ch < c; ch++)
        for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++)
        for (int s = 0; s < images; s++)
        for (int oh = 0; oh < outH; oh++)
        for (int ow = 0; ow < outW; ow++)
        {
            int row = oh * stride - padding + i, col = ow * stride - padding + j;
            double expected = row >= 0 && row < h && col >= 0 && col < w ? x[s, ch, row, col] : 0;
            Assert.Equal(expected, columns[((ch * k + i) * k + j) * images * outLength + s * outLength + oh * outW + ow]);
        }
    }

    [Theory]
    [InlineData(2, 5, 4, 3, 1, 0)]
    [InlineData(3, 6, 5, 3, 2, 1)]
    [InlineData(1, 7, 6, 5, 1, 2)]
    public void Fold_of_several_images_is_the_transpose_of_their_Unfold(int c, int h, int w, int k, int stride, int padding)
    {
        const int images = 3;
        int outLength = Im2Col.OutputSize(h, k, stride, padding) * Im2Col.OutputSize(w, k, stride, padding);
        var x = LayerTestData.Uniform(6, images * c * h * w).Data.ToArray();
        var m = LayerTestData.Uniform(7, c * k * k * images * outLength).Data.ToArray();
        var unfolded = new double[m.Length];
        var folded = new double[x.Length];

        Im2Col.Unfold<double>(x, c, h, w, k, stride, padding, unfolded, images);
        Im2Col.Fold<double>(m, c, h, w, k, stride, padding, folded, images);

        Assert.Equal(unfolded.Zip(m, (a, b) => a * b).Sum(), x.Zip(folded, (a, b) => a * b).Sum(), 1e-12);
    }

    [Theory]
    [InlineData(3, 1, 28, 28, 5, 2)]   // LeNet's first convolution: rows of 28, two columns of zeros either side
    [InlineData(4, 6, 14, 14, 5, 0)]   // LeNet's second: rows of 10
    [InlineData(2, 1, 3, 1, 3, 1)]     // a window column that lies wholly in the padding
    [InlineData(2, 2, 4, 4, 3, 3)]     // whole output rows in the padding, above and below
    [InlineData(2, 1, 9, 40, 2, 0)]    // rows of 39: several vectors and an overlapping last one
    public void Float_unfold_and_fold_at_stride_one_follow_the_definition(int images, int c, int h, int w, int k, int padding)
    {
        int outH = Im2Col.OutputSize(h, k, 1, padding), outW = Im2Col.OutputSize(w, k, 1, padding), outLength = outH * outW;
        var random = new Random(h * w + padding);
        var x = new float[images * c * h * w];
        for (int i = 0; i < x.Length; i++) x[i] = random.NextSingle() - 0.5f;
        var m = new float[c * k * k * images * outLength];
        for (int i = 0; i < m.Length; i++) m[i] = random.NextSingle() - 0.5f;
        var columns = Enumerable.Repeat(float.NaN, m.Length).ToArray();    // every value must be written
        var folded = Enumerable.Repeat(1f, x.Length).ToArray();           // Fold adds onto what is there

        Im2Col.Unfold<float>(x, c, h, w, k, 1, padding, columns, images);
        Im2Col.Fold<float>(m, c, h, w, k, 1, padding, folded, images);

        var expectedFold = Enumerable.Repeat(1.0, x.Length).ToArray();
        for (int ch = 0; ch < c; ch++)
        for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++)
        for (int s = 0; s < images; s++)
        for (int oh = 0; oh < outH; oh++)
        for (int ow = 0; ow < outW; ow++)
        {
            int row = oh - padding + i, col = ow - padding + j, at = ((ch * k + i) * k + j) * images * outLength + s * outLength + oh * outW + ow;
            bool inside = row >= 0 && row < h && col >= 0 && col < w;
            int pixel = ((s * c + ch) * h + row) * w + col;
            Assert.Equal(inside ? x[pixel] : 0f, columns[at]);
            if (inside) expectedFold[pixel] += m[at];
        }
        for (int i = 0; i < x.Length; i++) Assert.Equal(expectedFold[i], folded[i], 1e-5);
    }

    [Fact]
    public void Spans_too_short_for_the_images_throw_naming_the_sizes()
    {
        // Two 1×3×3 images need 18 pixels; k = 2 gives 4 positions each, so (4, 2·4) columns need 32 values.
        var ex = Assert.Throws<ArgumentException>(() => Im2Col.Unfold<double>(new double[9], 1, 3, 3, 2, 1, 0, new double[32], images: 2));
        Assert.Contains("need 18", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Im2Col.Fold<double>(new double[16], 1, 3, 3, 2, 1, 0, new double[18], images: 2));
        Assert.Contains("needs 32", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Im2Col.Unfold<double>(new double[9], 1, 3, 3, 2, 1, 0, new double[16], images: 0));
    }
}

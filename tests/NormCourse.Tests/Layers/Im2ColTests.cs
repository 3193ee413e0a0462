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
        var x = LayerTestData.Uniform(1, c * h * w).Data;
        var m = LayerTestData.Uniform(2, c * k * k * outLength).Data;
        var unfolded = new double[m.Length];
        var folded = new double[x.Length];

        Im2Col.Unfold<double>(x, c, h, w, k, stride, padding, unfolded);
        Im2Col.Fold<double>(m, c, h, w, k, stride, padding, folded);

        double left = unfolded.Zip(m, (a, b) => a * b).Sum();
        double right = x.Zip(folded, (a, b) => a * b).Sum();
        Assert.Equal(left, right, 1e-12);
    }
}

namespace NormCourse.Data;

/// <summary>
/// Fashion-MNIST (Xiao, Rasul &amp; Vollgraf 2017, MIT, Zalando Research): 60,000 training and 10,000 test
/// 28×28 grey images of 10 kinds of clothing, a harder drop-in for MNIST.
/// </summary>
public static class FashionMnist
{
    /// <summary>The environment variable that may name a folder holding the four files.</summary>
    public const string EnvironmentVariable = "NORMCOURSE_FASHION_MNIST";

    /// <summary>
    /// The dataset: its upstream mirror, and the SHA-256 and length of each decompressed file. Debian's
    /// <c>dataset-fashion-mnist</c> re-compressed the files, so only the decompressed bytes can be compared.
    /// </summary>
    public static IdxDatasetSource Source { get; } = new(
        "Fashion-MNIST",
        EnvironmentVariable,
        "fashion-mnist",
        [new Uri("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")],
        new IdxFileSpec("train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", 47_040_016),
        new IdxFileSpec("train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", 60_008),
        new IdxFileSpec("t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", 7_840_016),
        new IdxFileSpec("t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", 10_008),
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]);

    /// <summary>
    /// Loads the full dataset (60,000 + 10,000), features in [0, 1] of shape (N, 784). Looks in the folder named
    /// by <c>NORMCOURSE_FASHION_MNIST</c>, the repository's <c>data/fashion-mnist/</c>, <c>/usr/share/datasets/fashion-mnist/</c>
    /// (Debian/Ubuntu package <c>dataset-fashion-mnist</c>) and the user cache, then downloads into the cache.
    /// </summary>
    /// <inheritdoc cref="IdxDatasetLoader.Load" path="/exception"/>
    public static DatasetSplit Load(DatasetLoadOptions? options = null) => IdxDatasetLoader.Load(Source, options);
}

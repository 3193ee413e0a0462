namespace NormCourse.Data;

/// <summary>
/// Where a dataset of four IDX files (training and test images and labels) can be found, and how each file is
/// recognised. <see cref="FashionMnist.Source"/> and <see cref="Mnist.FullSource"/> are the course's two;
/// tests build their own to serve made-up files.
/// </summary>
/// <param name="Name">The dataset's name in messages and summaries, e.g. "Fashion-MNIST".</param>
/// <param name="EnvironmentVariable">A variable that may name a folder holding the files (searched first).</param>
/// <param name="FolderName">The folder's name under the repository's <c>data/</c>, under
/// <c>/usr/share/datasets/</c> and in the user cache, e.g. "fashion-mnist".</param>
/// <param name="Mirrors">Base URLs the files (gzip) are downloaded from, tried in order.</param>
/// <param name="TrainImages">The training images, idx3 (count, 28, 28).</param>
/// <param name="TrainLabels">The training labels, idx1 (count).</param>
/// <param name="TestImages">The test images.</param>
/// <param name="TestLabels">The test labels.</param>
/// <param name="ClassNames">The name of each class, label 0 first.</param>
public sealed record IdxDatasetSource(
    string Name,
    string EnvironmentVariable,
    string FolderName,
    IReadOnlyList<Uri> Mirrors,
    IdxFileSpec TrainImages,
    IdxFileSpec TrainLabels,
    IdxFileSpec TestImages,
    IdxFileSpec TestLabels,
    IReadOnlyList<string> ClassNames);

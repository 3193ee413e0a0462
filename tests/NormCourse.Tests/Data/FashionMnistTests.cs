using System.Security.Cryptography;
using NormCourse.Data;

namespace NormCourse.Tests.Data;

public class FashionMnistTests
{
    private const string DebianFolder = "/usr/share/datasets/fashion-mnist";

    private static void RequireDebianPackage()
    {
        // Not skipped: CI installs the package (.ci/setup), so its absence is a broken setup, not a reason to pass.
        Assert.True(Directory.Exists(DebianFolder),
            $"{DebianFolder} is missing: install the Debian/Ubuntu package dataset-fashion-mnist (bash .ci/setup does).");
    }

    [Fact]
    public void Debian_files_match_the_reference_checksums()
    {
        RequireDebianPackage();
        // The table of shared/reference/datasets.md, SHA-256 of the decompressed files.
        var expected = new Dictionary<string, (string Sha, long Bytes)>
        {
            ["train-images-idx3-ubyte"] = ("c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", 47040016),
            ["train-labels-idx1-ubyte"] = ("bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", 60008),
            ["t10k-images-idx3-ubyte"] = ("5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", 7840016),
            ["t10k-labels-idx1-ubyte"] = ("0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", 10008),
        };
        foreach (var spec in new[] { FashionMnist.Source.TrainImages, FashionMnist.Source.TrainLabels, FashionMnist.Source.TestImages, FashionMnist.Source.TestLabels })
        {
            Assert.Equal(expected[spec.FileName], (spec.Sha256, spec.Length));
            var plain = IdxBytes.Gunzip(File.ReadAllBytes(Path.Combine(DebianFolder, spec.FileName + ".gz")));
            Assert.Equal(spec.Length, plain.Length);
            Assert.Equal(spec.Sha256, Convert.ToHexStringLower(SHA256.HashData(plain)));
        }
    }

    [Fact]
    public void Loads_60000_and_10000_from_the_Debian_folder_without_downloading()
    {
        RequireDebianPackage();
        var split = FashionMnist.Load(new DatasetLoadOptions
        {
            SearchFolders = [DebianFolder], CacheFolder = Path.Combine(Path.GetTempPath(), "normcourse-unused"), AllowDownload = false,
        });
        Assert.Equal(60000, split.Train.Count);
        Assert.Equal(10000, split.Test.Count);
        Assert.Equal([60000, 784], split.Train.Features.Shape.ToArray());
        // Fashion-MNIST is exactly balanced: 6,000 training and 1,000 test images per class.
        Assert.All(split.Train.ClassCounts(), c => Assert.Equal(6000, c));
        Assert.All(split.Test.ClassCounts(), c => Assert.Equal(1000, c));
        Assert.Equal("Ankle boot", split.Train.ClassNames[9]);
        // The first training label of Fashion-MNIST is 9 (ankle boot), its first test label 9 too.
        Assert.Equal(9, split.Train.Labels[0]);
        Assert.Equal(9, split.Test.Labels[0]);
    }
}

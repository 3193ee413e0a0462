using System.Security.Cryptography;
using NormCourse.Data;

namespace NormCourse.Tests.Data;

/// <summary>The download path, against a server on 127.0.0.1 serving files the test makes.</summary>
public sealed class DownloadTests : IDisposable
{
    private const int N = 30;
    private readonly string _cache = Path.Combine(Path.GetTempPath(), $"normcourse-cache-{Guid.NewGuid():N}");
    private readonly LocalHttpServer _server = new();
    private readonly byte[] _trainImages = IdxBytes.Make([N, 28, 28], IdxBytes.RandomBytes(N * 784, seed: 10));
    private readonly byte[] _trainLabels = IdxBytes.Make([N], Enumerable.Range(0, N).Select(i => (byte)(i % 3)).ToArray());
    private readonly byte[] _testImages = IdxBytes.Make([6, 28, 28], IdxBytes.RandomBytes(6 * 784, seed: 11));
    private readonly byte[] _testLabels = IdxBytes.Make([6], [0, 1, 2, 2, 1, 0]);
    private readonly IdxDatasetSource _source;

    public DownloadTests()
    {
        _source = new IdxDatasetSource("Made-up", "NORMCOURSE_TEST_UNUSED", "made-up", [new Uri(_server.BaseUri, "a/")],
            Spec("train-images-idx3-ubyte", _trainImages), Spec("train-labels-idx1-ubyte", _trainLabels),
            Spec("t10k-images-idx3-ubyte", _testImages), Spec("t10k-labels-idx1-ubyte", _testLabels),
            ["zero", "one", "two"]);
    }

    private static IdxFileSpec Spec(string name, byte[] plain) =>
        new(name, Convert.ToHexStringLower(SHA256.HashData(plain)), plain.Length);

    private DatasetLoadOptions Options(params string[] mirrors) => new()
    {
        SearchFolders = [],
        CacheFolder = _cache,
        Mirrors = mirrors.Select(m => new Uri(_server.BaseUri, m)).ToArray(),
        DownloadTimeout = TimeSpan.FromSeconds(20),
    };

    private void ServeAll(string mirror)
    {
        foreach (var (spec, plain) in new[] { (_source.TrainImages, _trainImages), (_source.TrainLabels, _trainLabels), (_source.TestImages, _testImages), (_source.TestLabels, _testLabels) })
            _server.Routes[$"/{mirror}{spec.FileName}.gz"] = new Reply(IdxBytes.Gzip(plain));
    }

    private string[] CacheFiles() => Directory.Exists(_cache) ? Directory.GetFiles(_cache) : [];

    [Fact]
    public void Good_download_is_verified_cached_and_reused_without_the_network()
    {
        ServeAll("a/");
        var split = IdxDatasetLoader.Load(_source, Options("a/"));
        Assert.Equal(N, split.Train.Count);
        Assert.Equal(6, split.Test.Count);
        Assert.Equal(_trainImages[16] / 255f, split.Train.Features.Data[0]);
        Assert.Equal(["zero", "one", "two"], split.Train.ClassNames);
        Assert.Equal(4, CacheFiles().Length);
        Assert.All(CacheFiles(), f => Assert.EndsWith("-ubyte.gz", f));

        int requests = _server.Requests;
        var again = IdxDatasetLoader.Load(_source, Options("a/") with { AllowDownload = false });
        Assert.Equal(split.Train.Features.Data, again.Train.Features.Data);
        Assert.Equal(requests, _server.Requests);
    }

    [Fact]
    public void Truncated_download_is_rejected_and_nothing_is_cached()
    {
        var gz = IdxBytes.Gzip(_trainImages);
        // A complete HTTP response whose body is only the first half of the file.
        _server.Routes[$"/a/{_source.TrainImages.FileName}.gz"] = new Reply(gz, SendBytes: gz.Length / 2, DeclareFullLength: false);
        var ex = Assert.Throws<DatasetDownloadException>(() => IdxDatasetLoader.LoadFile(_source, _source.TrainImages, 3, Options("a/")));
        Assert.Contains(_source.TrainImages.FileName, ex.Message);
        Assert.Single(ex.Failures);
        Assert.Empty(CacheFiles());
    }

    [Fact]
    public void Wrong_checksum_names_file_and_both_hashes_and_is_not_cached()
    {
        var other = IdxBytes.Make([N], Enumerable.Repeat((byte)1, N).ToArray()); // valid IDX, wrong content
        string otherHash = Convert.ToHexStringLower(SHA256.HashData(other));
        _server.Routes[$"/a/{_source.TrainLabels.FileName}.gz"] = new Reply(IdxBytes.Gzip(other));
        var ex = Assert.Throws<DatasetDownloadException>(() => IdxDatasetLoader.LoadFile(_source, _source.TrainLabels, 1, Options("a/")));
        Assert.Contains(_source.TrainLabels.FileName, ex.Message);
        Assert.Contains(_source.TrainLabels.Sha256, ex.Message);
        Assert.Contains(otherHash, ex.Message);
        var mismatch = Assert.IsType<DatasetChecksumException>(Assert.Single(ex.Failures));
        Assert.Equal(otherHash, mismatch.ActualSha256);
        Assert.Empty(CacheFiles());

        // The next run does not trust anything left behind: with the right file served, it downloads again.
        ServeAll("a/");
        Assert.Equal(N, IdxDatasetLoader.LoadFile(_source, _source.TrainLabels, 1, Options("a/")).Count);
    }

    [Fact]
    public void Server_failing_midway_leaves_no_file_and_the_next_mirror_is_tried()
    {
        var gz = IdxBytes.Gzip(_trainImages);
        _server.Routes[$"/a/{_source.TrainImages.FileName}.gz"] = new Reply(gz, SendBytes: gz.Length / 3, Reset: true);
        var ex = Assert.Throws<DatasetDownloadException>(() => IdxDatasetLoader.LoadFile(_source, _source.TrainImages, 3, Options("a/")));
        Assert.IsNotType<DatasetChecksumException>(Assert.Single(ex.Failures));
        Assert.Empty(CacheFiles());

        // A broken first mirror (reset mid-way), a failing second one (HTTP 500), a good third one.
        _server.Routes[$"/b/{_source.TrainImages.FileName}.gz"] = new Reply("oops"u8.ToArray(), Status: 500);
        _server.Routes[$"/c/{_source.TrainImages.FileName}.gz"] = new Reply(gz);
        var array = IdxDatasetLoader.LoadFile(_source, _source.TrainImages, 3, Options("a/", "b/", "c/"));
        Assert.Equal(_trainImages[16..], array.Data);
        Assert.Equal([Path.Combine(_cache, _source.TrainImages.FileName + ".gz")], CacheFiles());
    }

    [Fact]
    public void A_corrupt_file_in_a_search_folder_is_an_error_naming_both_hashes()
    {
        string folder = Path.Combine(_cache, "local");
        Directory.CreateDirectory(folder);
        var wrong = IdxBytes.Make([6], [1, 1, 1, 1, 1, 1]);
        File.WriteAllBytes(Path.Combine(folder, _source.TestLabels.FileName), wrong); // plain, not gzip
        var ex = Assert.Throws<DatasetChecksumException>(() =>
            IdxDatasetLoader.LoadFile(_source, _source.TestLabels, 1, Options("a/") with { SearchFolders = [folder] }));
        Assert.Contains(_source.TestLabels.FileName, ex.Message);
        Assert.Contains(_source.TestLabels.Sha256, ex.Message);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(wrong)), ex.Message);
        Assert.Equal(0, _server.Requests);
    }

    [Fact]
    public void Leftover_partial_downloads_are_never_trusted()
    {
        Directory.CreateDirectory(_cache);
        File.WriteAllBytes(Path.Combine(_cache, $".{_source.TestLabels.FileName}.gz.0123.part"), IdxBytes.Gzip(_testLabels));
        var ex = Assert.Throws<DatasetDownloadException>(() =>
            IdxDatasetLoader.LoadFile(_source, _source.TestLabels, 1, Options("a/") with { AllowDownload = false }));
        Assert.Contains("downloading is disabled", ex.Message);
    }

    [Fact]
    public void Default_search_order_is_environment_repository_system()
    {
        var folders = IdxDatasetLoader.DefaultSearchFolders(FashionMnist.Source, name => name == "NORMCOURSE_FASHION_MNIST" ? "/my/folder" : null);
        Assert.Equal(
            ["/my/folder", Path.Combine(IdxBytes.RepoRoot(), "data", "fashion-mnist"), "/usr/share/datasets/fashion-mnist"],
            folders);
        Assert.EndsWith(Path.Combine("normcourse", "fashion-mnist"), IdxDatasetLoader.DefaultCacheFolder(FashionMnist.Source));
        Assert.Equal(2, IdxDatasetLoader.DefaultSearchFolders(FashionMnist.Source, _ => null).Count);
    }

    public void Dispose()
    {
        _server.Dispose();
        if (Directory.Exists(_cache)) Directory.Delete(_cache, recursive: true);
    }
}

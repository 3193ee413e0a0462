using System.Text.Json;

namespace NormCourse.Tests.Reference;

/// <summary>
/// A PyTorch reference fixture written by <c>tests/fixtures/generate_fixtures.py</c>: one layer, its dtype and
/// PyTorch constructor arguments (<see cref="Config"/>), its initial parameters and the steps to replay in order.
/// </summary>
public sealed record ReferenceFixture(
    string Name,
    string Layer,
    bool Float32,
    string Description,
    JsonElement Config,
    FixtureTensor? Weight,
    FixtureTensor? Bias,
    IReadOnlyList<FixtureStep> Steps,
    JsonElement? Documented)
{
    /// <summary>The folder the test project copies the fixtures to.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>The fixture names (file names without <c>.json</c>), sorted.</summary>
    public static IEnumerable<string> Names() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal);

    /// <summary>Loads the fixture <paramref name="name"/>.</summary>
    public static ReferenceFixture Load(string name)
    {
        string path = Path.Combine(Directory, name + ".json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        int format = root.GetProperty("format").GetInt32();
        if (format != 1) throw new InvalidDataException($"{path}: fixture format {format} is not supported (expected 1).");
        string dtype = root.GetProperty("dtype").GetString()!;
        bool float32 = dtype switch
        {
            "float32" => true,
            "float64" => false,
            _ => throw new InvalidDataException($"{path}: unknown dtype '{dtype}'."),
        };
        var steps = root.GetProperty("steps").EnumerateArray()
            .Select((s, i) => FixtureStep.Parse(s, float32, $"{name}.steps[{i}]"))
            .ToList();
        return new ReferenceFixture(
            root.GetProperty("name").GetString()!,
            root.GetProperty("layer").GetString()!,
            float32,
            root.GetProperty("description").GetString()!,
            root.GetProperty("config").Clone(),
            FixtureTensor.ParseOptional(root, "weight", float32, name),
            FixtureTensor.ParseOptional(root, "bias", float32, name),
            steps,
            root.TryGetProperty("documented", out var d) ? d.Clone() : null);
    }

    /// <summary>A config value that must be a number.</summary>
    public double ConfigDouble(string key) => Config.GetProperty(key).GetDouble();

    /// <summary>A config value that is a number or null (momentum=None, RMSNorm's eps=None).</summary>
    public double? ConfigNullableDouble(string key) =>
        Config.GetProperty(key).ValueKind == JsonValueKind.Null ? null : Config.GetProperty(key).GetDouble();

    /// <summary>A config value that must be an integer.</summary>
    public int ConfigInt(string key) => Config.GetProperty(key).GetInt32();

    /// <summary>A config value that must be a boolean.</summary>
    public bool ConfigBool(string key) => Config.GetProperty(key).GetBoolean();

    /// <summary>A config value that must be a list of integers (normalized_shape).</summary>
    public int[] ConfigInts(string key) => Config.GetProperty(key).EnumerateArray().Select(e => e.GetInt32()).ToArray();
}

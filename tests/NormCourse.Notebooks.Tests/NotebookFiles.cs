using System.Text.Json.Nodes;

namespace NormCourse.Notebooks.Tests;

/// <summary>Writes small C# notebooks for the tests.</summary>
internal static class NotebookFiles
{
    /// <summary>Writes an nbformat-4 notebook with the .NET (C#) kernelspec and one code cell per source.</summary>
    public static void Write(string path, IEnumerable<string> codeCells)
    {
        var cells = new JsonArray();
        foreach (var source in codeCells)
            cells.Add(new JsonObject
            {
                ["cell_type"] = "code",
                ["id"] = $"cell-{cells.Count + 1}",
                ["execution_count"] = null,
                ["metadata"] = new JsonObject(),
                ["outputs"] = new JsonArray(),
                ["source"] = source,
            });
        var notebook = new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        File.WriteAllText(path, notebook.ToJsonString());
    }
}

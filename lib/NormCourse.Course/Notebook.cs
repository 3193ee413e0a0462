using System.Text.Json.Nodes;

namespace NormCourse.Course;

/// <summary>
/// The parts of a Jupyter notebook (nbformat 4) the course tool reads: its cells, each with its kind, source and
/// outputs (kept as JSON, since outputs come in several shapes). Reading never changes the file.
/// </summary>
/// <param name="Path">Where the notebook was read from.</param>
/// <param name="Cells">The cells in order.</param>
public sealed record Notebook(string Path, IReadOnlyList<NotebookCell> Cells)
{
    /// <summary>Reads a notebook, failing with the file name when it is not nbformat-4 JSON with a cell list.</summary>
    public static Notebook Read(string path)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path)); }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"{path} is not valid notebook JSON: {e.Message}", e); }
        if (root?["cells"] is not JsonArray cells) throw new InvalidDataException($"{path} has no \"cells\" array.");
        var list = new List<NotebookCell>();
        foreach (var cell in cells)
        {
            if (cell is null) continue;
            string kind = cell["cell_type"]?.GetValue<string>() ?? throw new InvalidDataException($"{path}: cell {list.Count + 1} has no cell_type.");
            list.Add(new NotebookCell(kind, JoinSource(cell["source"]), cell["outputs"] as JsonArray ?? []));
        }
        return new Notebook(path, list);
    }

    /// <summary>nbformat stores text either as one string or as a list of lines; this joins either form.</summary>
    public static string JoinSource(JsonNode? source) => source switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        _ => source.GetValue<string>(),
    };
}

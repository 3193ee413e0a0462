using System.Text.Json.Nodes;

namespace NormCourse.Course;

/// <summary>One notebook cell.</summary>
/// <param name="Kind"><c>code</c>, <c>markdown</c> or <c>raw</c>.</param>
/// <param name="Source">The cell's text.</param>
/// <param name="Outputs">The outputs of an executed code cell (empty in the committed lessons).</param>
public sealed record NotebookCell(string Kind, string Source, JsonArray Outputs)
{
    /// <summary>True for a code cell.</summary>
    public bool IsCode => Kind == "code";

    /// <summary>True for a markdown cell.</summary>
    public bool IsMarkdown => Kind == "markdown";

    /// <summary>The first error output of this cell as "name: message", or null when it has none.</summary>
    public string? FirstError => Outputs
        .Where(o => o?["output_type"]?.GetValue<string>() == "error")
        .Select(o => $"{o!["ename"]?.GetValue<string>()}: {o["evalue"]?.GetValue<string>()}")
        .FirstOrDefault();
}

using NormCourse.Course;

namespace NormCourse.Notebooks.Tests;

/// <summary>The committed script twins are exactly what the generator makes from the notebooks.</summary>
public class TwinTests
{
    [Theory]
    [MemberData(nameof(Repository.LessonNames), MemberType = typeof(Repository))]
    public void Committed_twin_matches_the_generator(string lesson)
    {
        string notebook = Repository.Lesson(lesson);
        string twin = TwinGenerator.TwinPath(notebook);
        Assert.True(File.Exists(twin), $"{twin} is missing: run `dotnet run --project lib/NormCourse.Course -- generate-twins`.");
        string expected = TwinGenerator.Generate(Notebook.Read(notebook));
        Assert.True(expected == File.ReadAllText(twin).Replace("\r\n", "\n"),
            $"{Path.GetFileName(twin)} differs from its notebook: run `dotnet run --project lib/NormCourse.Course -- generate-twins`.");
    }

    [Fact]
    public void Drift_is_detected_when_a_twin_is_edited()
    {
        // Copy the lessons into a scratch repository, edit one twin, and check Drifted names exactly that one.
        string root = Repository.NewWorkFolder("drift");
        Directory.CreateDirectory(Path.Combine(root, "notebooks"));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repository.Root, "notebooks")))
            File.Copy(file, Path.Combine(root, "notebooks", Path.GetFileName(file)));
        Assert.Empty(Twins.Drifted(root));
        string edited = TwinGenerator.TwinPath(Lessons.Find(root, [])[0]);
        File.AppendAllText(edited, "// an edit made to the twin instead of the notebook\n");
        Assert.Equal([edited], Twins.Drifted(root));
    }

    [Theory]
    [InlineData("var a = 1;\na", "a")]
    [InlineData("for (int i = 0; i < 3; i++) { }\nChart.Line(x, y)\n    .Labelled(\"t\", \"x\", \"y\")", "Chart.Line(x, y)\n    .Labelled(\"t\", \"x\", \"y\")")]
    [InlineData("Console.WriteLine(\"a; b\");", null)]
    [InlineData("var s = \"}\"; // done; really\n", null)]
    [InlineData("void F()\n{\n    return;\n}", null)]
    [InlineData("x // trailing comment", "x // trailing comment")]
    public void Trailing_expression_is_found(string code, string? expression)
    {
        int start = TwinGenerator.TrailingExpressionStart(code);
        Assert.Equal(expression, start < 0 ? null : code[start..].Trim());
    }

    [Fact]
    public void Magic_commands_after_the_setup_are_rejected()
    {
        var error = Assert.Throws<InvalidDataException>(() => TwinGenerator.Code("#r \"nuget: X, 1.0.0\"", "n.ipynb", 3));
        Assert.Contains("cell 3", error.Message);
    }
}

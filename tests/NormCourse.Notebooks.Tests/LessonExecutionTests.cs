using NormCourse.Course;

namespace NormCourse.Notebooks.Tests;

/// <summary>Every lesson runs to the end, as a notebook under the pinned kernel and as its script twin.</summary>
public class LessonExecutionTests
{
    [Theory]
    [MemberData(nameof(Repository.LessonNames), MemberType = typeof(Repository))]
    public void Notebook_runs_without_a_failing_cell_under_the_pinned_kernel(string lesson)
    {
        var result = LessonRunner.RunNotebook(Repository.Lesson(lesson), Repository.NewWorkFolder("notebook"));
        Assert.True(result.Passed, $"{lesson}: {result.Failure}");
        var executed = Notebook.Read(result.OutputPath!);
        // Every code cell ran: dotnet repl stamps each executed cell; none may be left without outputs' metadata.
        Assert.All(executed.Cells.Where(c => c.IsCode), c => Assert.Null(c.FirstError));
    }

    [Theory]
    [MemberData(nameof(Repository.LessonNames), MemberType = typeof(Repository))]
    public void Script_twin_runs_and_exits_zero(string lesson)
    {
        var result = LessonRunner.RunScript(TwinGenerator.TwinPath(Repository.Lesson(lesson)));
        Assert.True(result.Passed, $"{lesson}: {result.Failure}");
    }

    [Fact]
    public void A_failing_cell_fails_the_run_and_is_named()
    {
        // The runner must be able to tell: a notebook whose second cell throws is reported as failing there.
        string folder = Repository.NewWorkFolder("failing");
        string path = Path.Combine(folder, "90-failing.ipynb");
        NotebookFiles.Write(path, ["var ok = 1 + 1;", "throw new InvalidOperationException(\"deliberate\");", "var after = 3;"]);
        var result = LessonRunner.RunNotebook(path, Path.Combine(folder, "executed"));
        Assert.False(result.Passed);
        Assert.StartsWith("cell 2 ", result.Failure);
        Assert.Contains("deliberate", result.Failure);
    }
}

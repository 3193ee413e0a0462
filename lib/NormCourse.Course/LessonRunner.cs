namespace NormCourse.Course;

/// <summary>
/// Executes lessons out of process, the way learners run them: a notebook under the pinned kernel
/// (<c>dotnet repl</c> 0.3.259 from the tool manifest, on the same Microsoft.DotNet.Interactive build as the
/// Jupyter kernel; an in-process host would bring its own FSharp.Core and hide the clash the setup fixes), and
/// a script twin with <c>dotnet run</c>. Sources are only read: outputs go to the given folder.
/// </summary>
public static class LessonRunner
{
    /// <summary>The longest a lesson may run before it is stopped and counted as failed.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    /// <summary>Executes <paramref name="notebookPath"/>, writing the executed copy into <paramref name="outputFolder"/>.</summary>
    public static LessonResult RunNotebook(string notebookPath, string outputFolder)
    {
        string lesson = Path.GetFileNameWithoutExtension(notebookPath);
        Directory.CreateDirectory(outputFolder);
        string output = Path.Combine(Path.GetFullPath(outputFolder), lesson + ".ipynb");
        string temp = output + ".tmp.ipynb";
        File.Delete(temp);
        // dotnet repl runs every cell even after a failure and exits 2 when any cell failed.
        var run = ProcessRunner.Run("dotnet",
            ["repl", "--run", Path.GetFullPath(notebookPath), "--exit-after-run", "--output-path", temp],
            Path.GetDirectoryName(Path.GetFullPath(notebookPath))!, Limit);
        if (!File.Exists(temp))
            return new LessonResult(lesson, run.Seconds, false, $"dotnet repl exited {run.ExitCode} without writing output:\n{Tail(run.Output)}", null);
        File.Move(temp, output, overwrite: true);
        string? failure = FirstFailure(Notebook.Read(output));
        if (failure is null && run.ExitCode != 0) failure = $"dotnet repl exited {run.ExitCode}:\n{Tail(run.Output)}";
        return new LessonResult(lesson, run.Seconds, failure is null, failure, output);
    }

    /// <summary>Runs the script twin <paramref name="scriptPath"/> with <c>dotnet run</c>.</summary>
    public static LessonResult RunScript(string scriptPath)
    {
        string lesson = Path.GetFileNameWithoutExtension(scriptPath);
        string root = NormCourse.Interactive.ScriptOutput.RepositoryRoot(Path.GetDirectoryName(Path.GetFullPath(scriptPath))!);
        var run = ProcessRunner.Run("dotnet", ["run", "-c", "Release", Path.GetFullPath(scriptPath)], root, Limit);
        return new LessonResult(lesson, run.Seconds, run.ExitCode == 0,
            run.ExitCode == 0 ? null : $"dotnet run exited {run.ExitCode}:\n{Tail(run.Output)}", null);
    }

    /// <summary>"cell N: error" for the first cell of <paramref name="executed"/> with an error output, else null.</summary>
    public static string? FirstFailure(Notebook executed)
    {
        ArgumentNullException.ThrowIfNull(executed);
        for (int i = 0; i < executed.Cells.Count; i++)
            if (executed.Cells[i].FirstError is { } error)
            {
                string firstLine = executed.Cells[i].Source.Split('\n').FirstOrDefault(l => l.Trim().Length > 0) ?? "";
                return $"cell {i + 1} ({firstLine.Trim()}): {error}";
            }
        return null;
    }

    private static string Tail(string text, int lines = 20) =>
        string.Join('\n', text.TrimEnd().Split('\n').TakeLast(lines));
}

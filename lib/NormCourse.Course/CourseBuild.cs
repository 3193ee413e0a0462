using Spectre.Console;

namespace NormCourse.Course;

/// <summary>The <c>build</c> command: tools, library, every lesson executed, the executed course written to out/.</summary>
public static class CourseBuild
{
    /// <summary>
    /// Restores the pinned tools, builds the library for the notebooks, executes the chosen lessons (notebooks, or
    /// with <paramref name="scripts"/> their twins), writes <c>out/notebooks</c> and <c>out/site</c>, and reports
    /// each lesson's time and first failing cell. Returns the process exit code: 0 only when every lesson passed.
    /// </summary>
    public static int Run(string root, IReadOnlyCollection<string> filter, bool scripts)
    {
        var lessons = Lessons.Find(root, filter);
        if (lessons.Count == 0) { AnsiConsole.MarkupLine("[red]No lessons found.[/]"); return 1; }
        if (!Step("Restoring the pinned tools (dotnet tool restore)", root, ["tool", "restore"])) return 1;
        if (!Step("Building the library into out/notebook-lib", root,
                ["build", "lib/NormCourse.Interactive/NormCourse.Interactive.csproj", "-c", "Release", "-o", "out/notebook-lib", "-nologo", "-v", "q"]))
            return 1;

        var results = new List<LessonResult>();
        foreach (var lesson in lessons)
        {
            string name = Path.GetFileNameWithoutExtension(lesson);
            AnsiConsole.MarkupLine($"[grey]running[/] {name} {(scripts ? "(script twin)" : "(notebook, dotnet repl)")}…");
            var result = scripts
                ? LessonRunner.RunScript(TwinGenerator.TwinPath(lesson))
                : LessonRunner.RunNotebook(lesson, Path.Combine(root, "out", "notebooks"));
            results.Add(result);
            AnsiConsole.MarkupLine(result.Passed
                ? $"  [green]passed[/] in {result.Seconds:F1} s"
                : $"  [red]FAILED[/] in {result.Seconds:F1} s: {Markup.Escape(result.Failure ?? "")}");
        }

        if (!scripts)
        {
            string site = Path.Combine(root, "out", "site");
            SiteWriter.WriteAssets(site);
            KatexVendor.Install(Path.Combine(root, "out", "cache"), site);
            foreach (var r in results.Where(r => r.OutputPath is not null)) SiteWriter.WriteLesson(site, r);
            SiteWriter.WriteIndex(site, results);
        }

        var table = new Table().AddColumns("Lesson", "Time", "Result");
        foreach (var r in results)
            table.AddRow(r.Lesson, $"{r.Seconds:F1} s", r.Passed ? "[green]passed[/]" : $"[red]{Markup.Escape(FirstLine(r.Failure))}[/]");
        AnsiConsole.Write(table);
        if (!scripts)
            AnsiConsole.MarkupLine("Executed notebooks: [blue]out/notebooks/[/]   Site: [blue]out/site/index.html[/] (works offline)");
        int failed = results.Count(r => !r.Passed);
        AnsiConsole.MarkupLine(failed == 0 ? $"[green]{results.Count} lessons passed[/]" : $"[red]{failed} of {results.Count} lessons failed[/]");
        return failed == 0 ? 0 : 1;
    }

    private static bool Step(string title, string root, string[] arguments)
    {
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(title)}[/]");
        var run = ProcessRunner.Run("dotnet", arguments, root, TimeSpan.FromMinutes(10));
        if (run.ExitCode == 0) return true;
        AnsiConsole.MarkupLine($"[red]failed (exit {run.ExitCode}):[/]");
        AnsiConsole.WriteLine(run.Output);
        return false;
    }

    private static string FirstLine(string? text) => (text ?? "").Split('\n')[0];
}

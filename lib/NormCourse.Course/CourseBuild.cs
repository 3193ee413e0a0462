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
            table.AddRow(r.Lesson, r.Seconds > LessonBudgetSeconds ? $"[yellow]{r.Seconds:F1} s (over {LessonBudgetSeconds} s)[/]" : $"{r.Seconds:F1} s",
                r.Passed ? "[green]passed[/]" : $"[red]{Markup.Escape(FirstLine(r.Failure))}[/]");
        AnsiConsole.Write(table);
        // The design's budgets: each lesson under 90 s and the whole course under 15 minutes on 2 cores. Reported,
        // not enforced: a machine loaded by other work is slower, and a slow lesson still teaches.
        double total = results.Sum(r => r.Seconds);
        int over = results.Count(r => r.Seconds > LessonBudgetSeconds);
        AnsiConsole.MarkupLine($"Total lesson time {total:F0} s ({total / 60:F1} min; budget {CourseBudgetSeconds / 60} min); " +
                               (over == 0 ? $"every lesson under {LessonBudgetSeconds} s" : $"[yellow]{over} lesson(s) over {LessonBudgetSeconds} s[/]"));
        if (!scripts)
            AnsiConsole.MarkupLine("Executed notebooks: [blue]out/notebooks/[/]   Site: [blue]out/site/index.html[/] (works offline)");
        int failed = results.Count(r => !r.Passed);
        AnsiConsole.MarkupLine(failed == 0 ? $"[green]{results.Count} lessons passed[/]" : $"[red]{failed} of {results.Count} lessons failed[/]");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>The longest a lesson should take on a 2-core machine, in seconds.</summary>
    public const int LessonBudgetSeconds = 90;

    /// <summary>The longest the whole course should take on a 2-core machine, in seconds.</summary>
    public const int CourseBudgetSeconds = 15 * 60;

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

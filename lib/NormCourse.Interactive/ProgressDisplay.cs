namespace NormCourse.Interactive;

/// <summary>
/// One progress output that changes in place, for long-running code (the trainer) that takes an
/// <see cref="IProgress{T}"/> of <see cref="ProgressReport"/> and so stays free of notebook types.
/// In a notebook it is a single displayed value updated on every report (<see cref="NotebookProgress"/>);
/// in a script it is a single console line rewritten with a carriage return (<see cref="ConsoleProgress"/>).
/// </summary>
public static class ProgressDisplay
{
    /// <summary>The display that fits where the code runs, showing an empty bar at once.</summary>
    /// <param name="console">Where a script writes; <see cref="Console.Out"/> by default.</param>
    public static IProgress<ProgressReport> Create(TextWriter? console = null)
    {
        // Scripts reference this library without Microsoft.DotNet.Interactive beside it (the kernel brings its
        // own), so the notebook type must not even be loaded unless the kernel's assembly is present.
        bool inKernel = AppDomain.CurrentDomain.GetAssemblies()
            .Any(a => a.GetName().Name == "Microsoft.DotNet.Interactive");
        return inKernel && NotebookProgress.TryCreate() is { } notebook
            ? notebook
            : new ConsoleProgress(console ?? Console.Out);
    }
}

using System.Diagnostics;
using System.Text;

namespace NormCourse.Course;

/// <summary>Runs a child process to completion with a time limit, capturing its output.</summary>
public static class ProcessRunner
{
    /// <summary>The exit code and the combined standard output and error of one run.</summary>
    /// <param name="ExitCode">The exit code, or −1 when the time limit killed the process.</param>
    /// <param name="Output">Everything the process printed.</param>
    /// <param name="Seconds">How long it ran.</param>
    public sealed record Result(int ExitCode, string Output, double Seconds);

    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public static Result Run(string file, IEnumerable<string> arguments, string workingDirectory, TimeSpan limit)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        var output = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close(); // never wait for a key press
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new Result(-1, output + $"\n(killed after {limit.TotalSeconds:F0} s)", watch.Elapsed.TotalSeconds);
        }
        process.WaitForExit();
        return new Result(process.ExitCode, output.ToString(), watch.Elapsed.TotalSeconds);
    }
}

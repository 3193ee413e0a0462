using NormCourse.Interactive;

namespace NormCourse.Notebooks.Tests;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repository
{
    /// <summary>The folder holding NormCourse.sln, found above the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    static Repository()
    {
        // Each run starts from an empty out/test-runs, so executed copies (a few MB each) do not pile up;
        // the last run's files stay for inspection until the next run.
        string runs = Path.Combine(Root, "out", "test-runs");
        if (Directory.Exists(runs)) Directory.Delete(runs, recursive: true);
    }

    /// <summary>Every lesson notebook, as xunit theory data (file names, so test names stay short).</summary>
    public static TheoryData<string> LessonNames()
    {
        var data = new TheoryData<string>();
        foreach (var path in NormCourse.Course.Lessons.Find(Root, [])) data.Add(Path.GetFileName(path));
        return data;
    }

    /// <summary>The full path of a lesson notebook.</summary>
    public static string Lesson(string fileName) => Path.Combine(Root, "notebooks", fileName);

    /// <summary>A fresh folder under out/test-runs (git-ignored, inside the repository so the local tools resolve).</summary>
    public static string NewWorkFolder(string name)
    {
        string folder = Path.Combine(Root, "out", "test-runs", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string FindRoot()
    {
        string root = ScriptOutput.RepositoryRoot(AppContext.BaseDirectory);
        if (!File.Exists(Path.Combine(root, "NormCourse.sln")))
            throw new InvalidOperationException($"No NormCourse.sln above {AppContext.BaseDirectory}.");
        return root;
    }
}

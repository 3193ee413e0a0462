using System.Text.RegularExpressions;

namespace NormCourse.Course;

/// <summary>Finds the lessons: <c>notebooks/NN-name.ipynb</c>, in number order.</summary>
public static partial class Lessons
{
    [GeneratedRegex(@"^\d\d-[a-z0-9-]+\.ipynb$")]
    private static partial Regex LessonName();

    /// <summary>
    /// The lesson notebooks under <paramref name="root"/>/notebooks whose number is in <paramref name="filter"/>
    /// (all when it is empty). A filter naming no lesson is an error, so a typo never passes as "nothing failed".
    /// </summary>
    public static IReadOnlyList<string> Find(string root, IReadOnlyCollection<string> filter)
    {
        string folder = Path.Combine(root, "notebooks");
        var all = Directory.EnumerateFiles(folder, "*.ipynb")
            .Where(p => LessonName().IsMatch(Path.GetFileName(p)))
            .OrderBy(p => Path.GetFileName(p), StringComparer.Ordinal)
            .ToList();
        if (filter.Count == 0) return all;
        var chosen = all.Where(p => filter.Contains(Path.GetFileName(p)[..2])).ToList();
        var unknown = filter.Where(f => !chosen.Any(p => Path.GetFileName(p).StartsWith(f, StringComparison.Ordinal))).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"No lesson numbered {string.Join(", ", unknown)} in {folder} (lessons: {string.Join(", ", all.Select(p => Path.GetFileName(p)[..2]))}).");
        return chosen;
    }
}

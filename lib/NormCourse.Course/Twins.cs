namespace NormCourse.Course;

/// <summary>The <c>generate-twins</c> and <c>check-twins</c> commands.</summary>
public static class Twins
{
    /// <summary>The lessons whose committed twin differs from (or lacks) what the generator makes.</summary>
    public static IReadOnlyList<string> Drifted(string root)
    {
        var drifted = new List<string>();
        foreach (var lesson in Lessons.Find(root, []))
        {
            string twin = TwinGenerator.TwinPath(lesson);
            string expected = TwinGenerator.Generate(Notebook.Read(lesson));
            if (!File.Exists(twin) || File.ReadAllText(twin).Replace("\r\n", "\n") != expected) drifted.Add(twin);
        }
        return drifted;
    }

    /// <summary>Writes every lesson's twin (only those that changed); returns how many were written.</summary>
    public static int Generate(string root)
    {
        int written = 0;
        foreach (var twin in Drifted(root))
        {
            string notebook = Path.ChangeExtension(twin, ".ipynb");
            string temp = twin + ".tmp";
            File.WriteAllText(temp, TwinGenerator.Generate(Notebook.Read(notebook)));
            File.Move(temp, twin, overwrite: true);
            Console.WriteLine($"wrote {Path.GetRelativePath(root, twin)}");
            written++;
        }
        return written;
    }
}

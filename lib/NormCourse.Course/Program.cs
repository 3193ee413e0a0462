using NormCourse.Course;
using NormCourse.Interactive;

// dotnet run --project lib/NormCourse.Course -- build [NN ...] [--scripts] | generate-twins | check-twins
string root = ScriptOutput.RepositoryRoot(Directory.GetCurrentDirectory());
string command = args.Length > 0 ? args[0] : "build";
var rest = args.Skip(1).ToList();
try
{
    switch (command)
    {
        case "build":
            bool scripts = rest.Remove("--scripts");
            var unknown = rest.Where(a => a.StartsWith('-')).ToList();
            if (unknown.Count > 0) throw new ArgumentException($"Unknown option {string.Join(", ", unknown)}; build takes lesson numbers (e.g. 02) and --scripts.");
            return CourseBuild.Run(root, rest, scripts);
        case "generate-twins" or "generate":
            int written = Twins.Generate(root);
            Console.WriteLine(written == 0 ? "Twins are up to date." : $"{written} twin(s) written.");
            return 0;
        case "check-twins":
            var drifted = Twins.Drifted(root);
            foreach (var d in drifted) Console.Error.WriteLine($"{Path.GetRelativePath(root, d)} differs from its notebook: run generate-twins");
            if (drifted.Count == 0) Console.WriteLine("Twins match their notebooks.");
            return drifted.Count == 0 ? 0 : 1;
        default:
            Console.Error.WriteLine("usage: dotnet run --project lib/NormCourse.Course -- build [NN ...] [--scripts] | generate-twins | check-twins");
            return 2;
    }
}
catch (Exception e) when (e is ArgumentException or InvalidDataException or InvalidOperationException or IOException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

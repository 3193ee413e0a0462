using System.Reflection;
using System.Runtime.Loader;

namespace NormCourse.Interactive;

/// <summary>
/// Lets Plotly.NET 6 run in the frozen .NET Interactive kernel. Plotly.NET 6.0.0 (through DynamicObj 8) is
/// compiled against FSharp.Core 10.1.0.0, but the kernel (dotnet-interactive 1.0.712001, dotnet-repl 0.3.259)
/// has already loaded its own FSharp.Core 10.0.0.0, and a second FSharp.Core cannot be loaded beside it:
/// creating a chart then fails with "Could not load file or assembly 'FSharp.Core, Version=10.1.0.0'".
/// The fix answers the failed lookup with the FSharp.Core that is already loaded. Any code path that needs an
/// API new in 10.1 would still throw, which is why every lesson is executed under the same kernel in CI.
/// </summary>
public static class FSharpCoreResolver
{
    /// <summary>The simple name of the assembly this resolver answers for.</summary>
    public const string AssemblyName = "FSharp.Core";

    /// <summary>
    /// Registers the handler on <see cref="AssemblyLoadContext.Default"/>'s <c>Resolving</c> event. Call it before
    /// the first chart is created. Installing twice is harmless (both handlers give the same answer).
    /// </summary>
    /// <returns>A handle whose <c>Dispose</c> removes the handler again.</returns>
    public static IDisposable Install()
    {
        Func<AssemblyLoadContext, AssemblyName, Assembly?> handler = Resolve;
        AssemblyLoadContext.Default.Resolving += handler;
        return new Registration(() => AssemblyLoadContext.Default.Resolving -= handler);
    }

    /// <summary>
    /// The answer to one failed lookup: the loaded FSharp.Core when <paramref name="name"/> asks for FSharp.Core
    /// (any version), otherwise <c>null</c> so other handlers and the default probing go on.
    /// </summary>
    public static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!string.Equals(name.Name, AssemblyName, StringComparison.OrdinalIgnoreCase)) return null;
        return AppDomain.CurrentDomain.GetAssemblies()
            .FirstOrDefault(a => string.Equals(a.GetName().Name, AssemblyName, StringComparison.OrdinalIgnoreCase));
    }

    private sealed class Registration(Action remove) : IDisposable
    {
        private Action? _remove = remove;

        public void Dispose()
        {
            _remove?.Invoke();
            _remove = null;
        }
    }
}

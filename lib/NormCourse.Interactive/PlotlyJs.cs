using Plotly.NET;

namespace NormCourse.Interactive;

/// <summary>
/// The plotly.js that Plotly.NET carries inside its assembly (the same file <c>PlotlyJSReference.Full</c>
/// embeds), so charts draw with no network: notebooks inline it once, the course site writes it once as a file.
/// </summary>
public static class PlotlyJs
{
    /// <summary>The plotly.js version Plotly.NET targets (2.28.0 for Plotly.NET 6.0.0).</summary>
    public static string Version => Globals.PLOTLYJS_VERSION;

    /// <summary>The attribute that marks the inline plotly.js script in a chart's HTML; its value is the version.</summary>
    public const string ScriptAttribute = "data-normcourse-plotly";

    /// <summary>The minified plotly.js source, read from Plotly.NET's embedded resource.</summary>
    public static string ReadSource()
    {
        var assembly = typeof(GenericChart).Assembly;
        string name = $"Plotly.NET.plotly-{Version}.min.js";
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Plotly.NET {assembly.GetName().Version} has no embedded resource '{name}'.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

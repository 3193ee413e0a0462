using System.Text.Json;
using Plotly.NET;

namespace NormCourse.Tests.Charts;

/// <summary>Reads a chart's Plotly figure JSON, the object plotly.js receives.</summary>
internal sealed class ChartJson
{
    public JsonElement Root { get; }

    public ChartJson(GenericChart chart) => Root = JsonDocument.Parse(GenericChart.toFigureJson(chart)).RootElement;

    public JsonElement[] Traces => [.. Root.GetProperty("data").EnumerateArray()];

    public JsonElement Layout => Root.GetProperty("layout");

    public string[] TraceNames => [.. Traces.Where(t => t.TryGetProperty("name", out _)).Select(t => t.GetProperty("name").GetString()!)];

    public string Title => Layout.GetProperty("title").GetProperty("text").GetString()!;

    public string AxisTitle(string axis) => Layout.GetProperty(axis).GetProperty("title").GetProperty("text").GetString()!;

    public static double[] Numbers(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetDouble())];
}

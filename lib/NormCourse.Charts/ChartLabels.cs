using Plotly.NET;
using Plotly.NET.CSharp;

namespace NormCourse.Charts;

/// <summary>The labels every course chart carries: a title, both axis titles (with units), the default size.</summary>
public static class ChartLabels
{
    /// <summary>
    /// Returns <paramref name="chart"/> titled <paramref name="title"/>, its axes titled
    /// <paramref name="xTitle"/> and <paramref name="yTitle"/>, sized <see cref="ChartDefaults.Width"/> ×
    /// <see cref="ChartDefaults.Height"/>. Legends come from the traces' names.
    /// </summary>
    public static GenericChart Labelled(this GenericChart chart, string title, string xTitle, string yTitle)
    {
        ArgumentNullException.ThrowIfNull(chart);
        // Plotly.NET.CSharp 0.14 has no title setter; the F# core's Chart.withTitle returns a function to apply.
        var titled = Plotly.NET.Chart.withTitle(title, null).Invoke(chart);
        return titled
            .WithXAxisStyle<double, double, string>(TitleText: xTitle)
            .WithYAxisStyle<double, double, string>(TitleText: yTitle)
            .WithSize(ChartDefaults.Width, ChartDefaults.Height);
    }
}

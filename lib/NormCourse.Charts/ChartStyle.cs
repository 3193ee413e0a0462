using Plotly.NET;
using Plotly.NET.CSharp;

namespace NormCourse.Charts;

/// <summary>The course's common finish for a chart: a title, axis titles with units, the default size.</summary>
internal static class ChartStyle
{
    /// <summary>
    /// Sets the title, the axis titles and the default size; a log x axis when asked, and category axes for heat maps
    /// of sweep values (so "0.01", "0.1", "1" sit side by side rather than at their numeric positions).
    /// </summary>
    public static GenericChart Finish(GenericChart chart, string title, string xTitle, string yTitle, bool logX = false, bool categories = false)
    {
        chart = Plotly.NET.Chart.withTitle(title, null).Invoke(chart);
        var xType = categories ? StyleParam.AxisType.Category : logX ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear;
        chart = chart.WithXAxisStyle<double, double, string>(TitleText: xTitle, AxisType: xType);
        chart = categories
            ? chart.WithYAxisStyle<double, double, string>(TitleText: yTitle, AxisType: StyleParam.AxisType.Category)
            : chart.WithYAxisStyle<double, double, string>(TitleText: yTitle);
        return chart.WithSize(ChartDefaults.Width, ChartDefaults.Height);
    }

    /// <summary>The points whose y is finite: Plotly's JSON has no NaN or ∞, and a diverged run's last loss is one.</summary>
    public static (double[] X, double[] Y) Finite(IEnumerable<(double X, double Y)> points)
    {
        var kept = points.Where(p => double.IsFinite(p.Y) && double.IsFinite(p.X)).ToArray();
        return ([.. kept.Select(p => p.X)], [.. kept.Select(p => p.Y)]);
    }

    /// <summary>"15th", "50th", "85th", "1st", "2nd", "3rd": a percentile's ordinal for legends.</summary>
    public static string Ordinal(double p)
    {
        string n = p.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        if (p != Math.Floor(p)) return n + "th";
        long k = (long)p;
        string suffix = (k % 100) is 11 or 12 or 13 ? "th" : (k % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
        return n + suffix;
    }

    /// <summary>A colour bar titled <paramref name="title"/> (Plotly.NET's F# initialiser has no C#-friendly form).</summary>
    public static ColorBar TitledColorBar(string title)
    {
        var colorBar = new ColorBar();
        colorBar.SetProperty("title", new Dictionary<string, string> { ["text"] = title });
        return colorBar;
    }
}

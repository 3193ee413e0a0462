using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace NormCourse.Interactive;

/// <summary>Registers how the course's types show in a notebook.</summary>
public static class NotebookFormatters
{
    /// <summary>
    /// Registers HTML and plain-text formatters for <see cref="Tensor{T}"/> of <see cref="float"/> and
    /// <see cref="double"/> (shape, statistics, preview), an HTML table for <see cref="DataFrame"/> and for a
    /// MathNet <see cref="MathNet.Numerics.LinearAlgebra.Matrix{T}"/>, and offline chart HTML for
    /// <see cref="GenericChart"/> (<see cref="ChartHtml"/>), and a training history as its summary and chart. Registering again replaces the earlier registration.
    /// </summary>
    public static void Register()
    {
        RegisterTensor<float>();
        RegisterTensor<double>();
        Formatter.Register<DataFrame>(DataFrameTable.ToHtml, HtmlFormatter.MimeType);
        Formatter.Register<MathNet.Numerics.LinearAlgebra.Matrix<double>>(MatrixTable.ToHtml, HtmlFormatter.MimeType);
        var charts = new ChartHtml();
        Formatter.Register<GenericChart>(charts.ToHtml, HtmlFormatter.MimeType);
        Formatter.Register<NormCourse.Training.TrainingHistory>(h => TrainingHistorySummary.ToHtml(h, charts), HtmlFormatter.MimeType);
        Formatter.Register<NormCourse.Training.TrainingHistory>(TrainingHistorySummary.ToPlainText, PlainTextFormatter.MimeType);
    }

    private static void RegisterTensor<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        Formatter.Register<Tensor<T>>(TensorPreview.ToHtml, HtmlFormatter.MimeType);
        Formatter.Register<Tensor<T>>(TensorPreview.ToPlainText, PlainTextFormatter.MimeType);
    }
}

using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;

namespace NormCourse.Interactive;

/// <summary>Registers how the course's types show in a notebook.</summary>
public static class NotebookFormatters
{
    /// <summary>
    /// Registers HTML and plain-text formatters for <see cref="Tensor{T}"/> of <see cref="float"/> and
    /// <see cref="double"/> (shape, statistics, preview) and an HTML table for <see cref="DataFrame"/>.
    /// Registering again replaces the earlier registration.
    /// </summary>
    public static void Register()
    {
        RegisterTensor<float>();
        RegisterTensor<double>();
        Formatter.Register<DataFrame>(DataFrameTable.ToHtml, HtmlFormatter.MimeType);
    }

    private static void RegisterTensor<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        Formatter.Register<Tensor<T>>(TensorPreview.ToHtml, HtmlFormatter.MimeType);
        Formatter.Register<Tensor<T>>(TensorPreview.ToPlainText, PlainTextFormatter.MimeType);
    }
}

using NormCourse.Course;

namespace NormCourse.Notebooks.Tests;

/// <summary>A built site page, opened in headless Chromium with no network, draws its chart and its math.</summary>
public class SiteRenderTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    [Fact]
    public void Lesson_page_draws_its_chart_and_math_without_any_request_leaving_the_machine()
    {
        string folder = Repository.NewWorkFolder("site");
        var result = LessonRunner.RunNotebook(Repository.Lesson("00-welcome.ipynb"), Path.Combine(folder, "executed"));
        Assert.True(result.Passed, result.Failure);
        string site = Path.Combine(folder, "site");
        SiteWriter.WriteAssets(site);
        KatexVendor.Install(Path.Combine(Repository.Root, "out", "cache"), site);
        string page = SiteWriter.WriteLesson(site, result);
        Assert.DoesNotContain("Loading extensions", File.ReadAllText(page), StringComparison.Ordinal);   // kernel noise left out

        using var recorder = new RequestRecorder();
        using var browser = new HeadlessChromium(recorder.Port);
        browser.Open(page, Settle);

        Assert.Equal(1, browser.Evaluate("document.querySelectorAll('svg.main-svg .cartesianlayer').length")?.GetValue<int>()); // plotly drew
        Assert.Equal(2, browser.Evaluate("document.querySelectorAll('svg.main-svg g.trace.bars').length")?.GetValue<int>());   // both histograms
        Assert.True(browser.Evaluate("document.querySelectorAll('.katex').length")?.GetValue<int>() > 3);                     // math rendered
        var requests = browser.RequestedUrls();
        Assert.Contains(requests, u => u.EndsWith("/plotly.min.js", StringComparison.Ordinal)); // the one local copy
        // file: and data: URLs are read on this machine; anything else would have gone to the network.
        Assert.All(requests, u => Assert.True(u.StartsWith("file://", StringComparison.Ordinal) || u.StartsWith("data:", StringComparison.Ordinal), u));
    }

    [Fact]
    public void A_page_that_fetches_from_the_network_is_caught()
    {
        // The check above can fail: a page asking for a remote script shows up among its requests (and only
        // reaches the local recorder, which answers nothing).
        string folder = Repository.NewWorkFolder("remote");
        string page = Path.Combine(folder, "remote.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><head><script src=\"https://example.com/plotly.min.js\"></script></head><body>x</body></html>");

        using var recorder = new RequestRecorder();
        using var browser = new HeadlessChromium(recorder.Port);
        browser.Open(page, Settle);

        Assert.Contains(browser.RequestedUrls(), u => u.StartsWith("https://example.com/", StringComparison.Ordinal));
        Assert.Contains(recorder.Requests, r => r.Contains("example.com", StringComparison.Ordinal));
    }
}

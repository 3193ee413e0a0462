using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace NormCourse.Notebooks.Tests;

/// <summary>
/// Debian's chromium, headless, driven over the DevTools protocol: it opens a page, records every request the
/// page makes (Network.requestWillBeSent), and evaluates JavaScript in it. All network traffic is pointed at a
/// local <see cref="RequestRecorder"/> proxy that forwards nothing, so even a failing page cannot reach out; the
/// browser's own background calls land there too, which is why the page's requests are read from DevTools.
/// </summary>
internal sealed class HeadlessChromium : IDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly List<JsonObject> _events = [];
    private int _nextId;

    public HeadlessChromium(int proxyPort)
    {
        _profile = Path.Combine(Path.GetTempPath(), "normcourse-chromium-" + Guid.NewGuid().ToString("N"));
        var psi = new ProcessStartInfo("chromium") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
            $"--user-data-dir={_profile}", $"--proxy-server=http://127.0.0.1:{proxyPort}", "--proxy-bypass-list=<-loopback>",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank",
        }) psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        string portFile = Path.Combine(_profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(portFile) || File.ReadAllLines(portFile).Length < 1)
        {
            if (DateTime.UtcNow > deadline || _process.HasExited) throw new InvalidOperationException("chromium did not start its DevTools endpoint.");
            Thread.Sleep(100);
        }
        int port = int.Parse(File.ReadAllLines(portFile)[0]);
        using var http = new HttpClient();
        var targets = JsonNode.Parse(http.GetStringAsync($"http://127.0.0.1:{port}/json/list").GetAwaiter().GetResult())!.AsArray();
        string url = targets.First(t => t!["type"]!.GetValue<string>() == "page")!["webSocketDebuggerUrl"]!.GetValue<string>();
        _socket.ConnectAsync(new Uri(url), CancellationToken.None).GetAwaiter().GetResult();
        Call("Network.enable");
        Call("Page.enable");
    }

    /// <summary>Navigates to <paramref name="page"/> and waits for its load event plus <paramref name="settle"/>.</summary>
    public void Open(string page, TimeSpan settle)
    {
        Call("Page.navigate", new JsonObject { ["url"] = new Uri(page).AbsoluteUri });
        WaitForEvent("Page.loadEventFired", TimeSpan.FromSeconds(60));
        Thread.Sleep(settle);
    }

    /// <summary>The URL of every request the page made since this browser started.</summary>
    public IReadOnlyList<string> RequestedUrls() =>
        _events.Where(e => e["method"]?.GetValue<string>() == "Network.requestWillBeSent")
               .Select(e => e["params"]!["request"]!["url"]!.GetValue<string>()).ToList();

    /// <summary>Evaluates a JavaScript expression in the page and returns its value as JSON.</summary>
    public JsonNode? Evaluate(string expression)
    {
        var result = Call("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        return result?["result"]?["value"];
    }

    private JsonNode? Call(string method, JsonObject? parameters = null)
    {
        int id = ++_nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None)
            .GetAwaiter().GetResult();
        while (true)
        {
            var reply = Receive(TimeSpan.FromSeconds(60));
            if (reply["id"]?.GetValue<int>() == id)
            {
                if (reply["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
                return reply["result"];
            }
        }
    }

    private void WaitForEvent(string method, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        if (_events.Any(e => e["method"]?.GetValue<string>() == method)) return;
        while (DateTime.UtcNow < deadline)
            if (Receive(deadline - DateTime.UtcNow)["method"]?.GetValue<string>() == method) return;
        throw new TimeoutException($"chromium sent no {method} within {limit.TotalSeconds} s.");
    }

    private JsonObject Receive(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        var buffer = new byte[1 << 16];
        using var text = new MemoryStream();
        WebSocketReceiveResult part;
        do
        {
            part = _socket.ReceiveAsync(buffer, timeout.Token).GetAwaiter().GetResult();
            text.Write(buffer, 0, part.Count);
        } while (!part.EndOfMessage);
        var message = JsonNode.Parse(text.ToArray())!.AsObject();
        if (message["method"] is not null) _events.Add(message);
        return message;
    }

    public void Dispose()
    {
        _socket.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { }
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NormCourse.Notebooks.Tests;

/// <summary>
/// A local HTTP proxy that forwards nothing: Chromium is pointed at it, so any request a page makes for a
/// network resource arrives here, is recorded (its first line, e.g. <c>CONNECT host:443</c>) and is refused.
/// It listens on 127.0.0.1 only.
/// </summary>
internal sealed class RequestRecorder : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<string> _requests = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RequestRecorder()
    {
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    /// <summary>The port Chromium's --proxy-server points at.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The first line of every request received so far.</summary>
    public IReadOnlyList<string> Requests { get { lock (_requests) return _requests.ToList(); } }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (SocketException) { return; }
            using (client)
            {
                var buffer = new byte[4096];
                int read;
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    timeout.CancelAfter(TimeSpan.FromSeconds(2));
                    read = await client.GetStream().ReadAsync(buffer, timeout.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException) { read = 0; }
                string firstLine = Encoding.ASCII.GetString(buffer, 0, read).Split('\n')[0].Trim();
                lock (_requests) _requests.Add(firstLine.Length > 0 ? firstLine : "(connection without a request line)");
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NormCourse.Tests.Data;

/// <summary>How the test server answers one path.</summary>
/// <param name="Body">The bytes of the file.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="SendBytes">Send only this many bytes of the body (null: all).</param>
/// <param name="Reset">After sending, reset the connection (RST) instead of closing it cleanly.</param>
/// <param name="DeclareFullLength">Announce the full body's length even when sending less.</param>
internal sealed record Reply(byte[] Body, int Status = 200, int? SendBytes = null, bool Reset = false, bool DeclareFullLength = true);

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 and a free port, written on a raw socket so that a test controls
/// exactly which bytes go out and how the connection ends (a clean close, or a reset mid-body).
/// </summary>
internal sealed class LocalHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    public LocalHttpServer()
    {
        _listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(AcceptLoop);
    }

    public Uri BaseUri { get; }

    /// <summary>Replies by path (e.g. "/mirror1/x.gz"); unknown paths get 404.</summary>
    public ConcurrentDictionary<string, Reply> Routes { get; } = new();

    public int Requests => Volatile.Read(ref _requests);

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = new StringBuilder();
                var buffer = new byte[4096];
                while (!request.ToString().Contains("\r\n\r\n"))
                {
                    int n = await stream.ReadAsync(buffer, _stop.Token);
                    if (n == 0) return;
                    request.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }
                Interlocked.Increment(ref _requests);
                string path = request.ToString().Split(' ')[1];
                var reply = Routes.TryGetValue(path, out var r) ? r : new Reply(Encoding.ASCII.GetBytes("not found"), 404);
                int send = reply.SendBytes ?? reply.Body.Length;
                int declared = reply.DeclareFullLength ? reply.Body.Length : send;
                var head = $"HTTP/1.1 {reply.Status} {(reply.Status == 200 ? "OK" : "Error")}\r\nContent-Length: {declared}\r\n" +
                           "Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                await stream.WriteAsync(reply.Body.AsMemory(0, send), _stop.Token);
                await stream.FlushAsync(_stop.Token);
                if (reply.Reset) client.Client.LingerState = new LingerOption(true, 0); // close now sends RST
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
            }
            catch (IOException)
            {
                // The client gave up first; nothing to do.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
        _stop.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Net;

namespace Ktrdr.Tests.Telemetry;

/// <summary>
/// A minimal OTLP/HTTP endpoint on loopback: accepts <c>POST /v1/traces</c>, keeps each body and answers 200 with an
/// empty (valid) protobuf response.
/// </summary>
internal sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public OtlpReceiver()
    {
        Url = $"http://127.0.0.1:{Infrastructure.Ports.Free()}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public string Url { get; }

    /// <summary>What arrived: path, content type and body of each request.</summary>
    public ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> Requests { get; } = new();

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            Requests.Enqueue((context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
            context.Response.StatusCode = context.Request.HttpMethod == "POST" && context.Request.Url.AbsolutePath == "/v1/traces" ? 200 : 404;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}

using System.Collections.Concurrent;
using System.Net;
using Ktrdr.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Ktrdr.Tests.Telemetry;

/// <summary>
/// A minimal OTLP trace collector on loopback (Kestrel): <c>POST /v1/traces</c> over HTTP/1.1 for http/protobuf, or the
/// gRPC <c>TraceService/Export</c> call over cleartext HTTP/2 for grpc. Keeps every request body and answers with an
/// empty, valid response.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    public const string HttpPath = "/v1/traces";
    public const string GrpcPath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app, string url) => (_app, Url) = (app, url);

    public string Url { get; }

    /// <summary>What arrived: path, content type and body of each request.</summary>
    public ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> Requests { get; } = new();

    public static async Task<OtlpReceiver> StartAsync(bool grpc)
    {
        var port = Ports.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = grpc ? HttpProtocols.Http2 : HttpProtocols.Http1));
        var app = builder.Build();
        var receiver = new OtlpReceiver(app, $"http://127.0.0.1:{port}");
        app.MapPost(HttpPath, async http =>
        {
            await receiver.KeepAsync(http);
            http.Response.ContentType = "application/x-protobuf";
        });
        app.MapPost(GrpcPath, async http =>
        {
            await receiver.KeepAsync(http);
            http.Response.ContentType = "application/grpc";
            http.Response.AppendTrailer("grpc-status", "0");
            await http.Response.Body.WriteAsync(new byte[5]); // one uncompressed, empty response message
        });
        await app.StartAsync();
        return receiver;
    }

    private async Task KeepAsync(HttpContext http)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body);
        Requests.Enqueue((http.Request.Path, http.Request.ContentType, body.ToArray()));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

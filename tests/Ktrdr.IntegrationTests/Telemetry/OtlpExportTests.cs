using System.Text;
using Ktrdr.Backends.Telemetry;
using Ktrdr.Jobs.Telemetry;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;

namespace Ktrdr.Tests.Telemetry;

/// <summary>The real CLI exports its spans to a real OTLP endpoint on loopback (HTTP and gRPC), configured by the standard settings only.</summary>
public sealed class OtlpExportTests
{
    [TestCase("http/protobuf", OtlpReceiver.HttpPath, "application/x-protobuf")]
    [TestCase("grpc", OtlpReceiver.GrpcPath, "application/grpc")]
    public async Task Migrate_with_an_OTLP_endpoint_sends_its_spans_before_it_exits(string protocol, string path, string contentType)
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("otlp");
        var root = Directory.CreateTempSubdirectory("ktrdr-otlp-").FullName;
        try
        {
            var data = Path.Combine(root, "data");
            await new SampleDataWriter().WriteAsync(data, "MSFT", "1d", 120, withBadLines: false, CancellationToken.None);
            await using var receiver = await OtlpReceiver.StartAsync(grpc: protocol == "grpc");

            var result = await CliProcess.RunAsync(new Dictionary<string, string?>
            {
                ["DB_TYPE"] = "postgresql",
                ["DB_CONNECTION_STRING"] = connectionString,
                ["DATA_DIR"] = data,
                ["KTRDR_REPORT_DIR"] = Path.Combine(root, "report"),
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Url,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
                ["OTEL_SERVICE_NAME"] = "ktrdr-otlp-test",
            }, "migrate", "--yes");

            Assert.That(result.ExitCode, Is.Zero, result.Stderr);
            var traces = receiver.Requests.Where(r => r.Path == path).ToList();
            Assert.That(traces, Is.Not.Empty, $"no POST {path} arrived before the CLI exited");
            // Protobuf keeps strings as UTF-8 bytes: the span names and the service name can be found in the bodies.
            var all = string.Join("\n", traces.Select(t => Encoding.UTF8.GetString(t.Body)));
            Assert.Multiple(() =>
            {
                Assert.That(traces.Select(t => t.ContentType), Is.All.EqualTo(contentType));
                Assert.That(traces.Select(t => t.Body.Length), Is.All.GreaterThan(0));
                Assert.That(all, Does.Contain("ktrdr-otlp-test"));
                Assert.That(all, Does.Contain(JobSpans.MigrationRun));
                Assert.That(all, Does.Contain(JobSpans.ImportSymbol));
                Assert.That(all, Does.Contain(KtrdrActivity.SaveData));
                Assert.That(all, Does.Contain(JobSpans.Verify));
                Assert.That(all, Does.Contain("MSFT"));
            });
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

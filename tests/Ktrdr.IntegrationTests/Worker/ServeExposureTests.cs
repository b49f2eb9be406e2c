using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Cli;

namespace Ktrdr.Tests.Worker;

/// <summary><c>serve</c> refuses to listen beyond loopback without credentials, naming the settings that fix it.</summary>
[NonParallelizable] // Hangfire in this process (ServeCommand.Build)
public sealed class ServeExposureTests
{
    private static readonly Dictionary<string, string?> NoCredentials = new()
    {
        ["KTRDR_DASHBOARD_USER"] = "", ["KTRDR_DASHBOARD_PASSWORD"] = "",
        ["KTRDR_DASHBOARD_VIEWER_USER"] = "", ["KTRDR_DASHBOARD_VIEWER_PASSWORD"] = "",
    };

    [Test]
    public async Task Serve_on_all_interfaces_without_credentials_exits_2_naming_the_credential_settings_and_the_loopback_alternative()
    {
        var result = await CliProcess.RunAsync(NoCredentials, "serve", "--urls", "http://0.0.0.0:0");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
        Assert.That(result.Stderr, Does.Contain("http://0.0.0.0:0, beyond loopback, without credentials")
            .And.Contain("KTRDR_DASHBOARD_USER and KTRDR_DASHBOARD_PASSWORD").And.Contain("http://127.0.0.1:5080"));
    }

    [TestCase("http://+:5080")]
    [TestCase("http://*:5080")]
    [TestCase("http://127.0.0.1:5080;http://192.0.2.7:5080")]
    public void A_non_loopback_address_in_ASPNETCORE_URLS_without_credentials_is_refused(string urls)
    {
        var settings = new Dictionary<string, string?>(NoCredentials) { ["ASPNETCORE_URLS"] = urls };
        var refusal = Assert.Throws<ArgumentException>(() => ServeCommand.Build(null, settings));
        Assert.That(refusal!.Message, Does.Contain("KTRDR_DASHBOARD_USER"));
    }

    [Test]
    public async Task A_Kestrel_endpoint_beyond_loopback_in_the_configuration_without_credentials_is_refused_and_the_worker_stopped()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("exposure");
        var data = Directory.CreateTempSubdirectory("ktrdr-exposure-").FullName;
        try
        {
            var settings = new Dictionary<string, string?>(WorkerApp.Settings(connectionString, data, Path.Combine(data, "report")))
            {
                ["KTRDR_DASHBOARD_USER"] = "", ["KTRDR_DASHBOARD_PASSWORD"] = "",
                ["KTRDR_DASHBOARD_VIEWER_USER"] = "", ["KTRDR_DASHBOARD_VIEWER_PASSWORD"] = "",
                // Replaces --urls (checked before binding): only the bound addresses show it.
                ["Kestrel:Endpoints:Http:Url"] = "http://0.0.0.0:0",
            };
            await using var app = ServeCommand.Build(null, settings);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

            var refusal = Assert.ThrowsAsync<ArgumentException>(() => ServeCommand.StartAsync(app, timeout.Token));

            Assert.That(refusal!.Message, Does.Contain("beyond loopback, without credentials").And.Contain("KTRDR_DASHBOARD_USER"));
            Assert.That(app.Lifetime.ApplicationStopped.IsCancellationRequested, Is.True, "the worker kept running");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [TestCase("http://127.0.0.1:5080")]
    [TestCase("http://localhost:5080")]
    [TestCase("http://[::1]:5080")]
    public async Task A_loopback_address_without_credentials_is_accepted(string urls)
    {
        // No database here: preparing Hangfire's schema would try one (localhost:5432) for about 30 s before the build goes on.
        var settings = new Dictionary<string, string?>(NoCredentials) { ["ASPNETCORE_URLS"] = urls, ["KTRDR_HANGFIRE_PREPARE_SCHEMA"] = "false" };
        await using var app = ServeCommand.Build(null, settings);
        Assert.That(app, Is.Not.Null);
    }
}

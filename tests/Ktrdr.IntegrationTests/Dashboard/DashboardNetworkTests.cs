using System.Globalization;
using Ktrdr.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace Ktrdr.Tests.Dashboard;

/// <summary>
/// Real TCP requests to a real worker (Kestrel) from another host on this machine: a network namespace whose address is
/// not loopback. Without credentials the dashboard and the read API refuse it; with them it is served.
/// </summary>
[NonParallelizable] // Hangfire in this process (WorkerApp)
public sealed class DashboardNetworkTests
{
    private NetworkNamespace _namespace = null!;
    private WebApplication _app = null!;
    private string _root = "";
    private string _url = "";

    [OneTimeSetUp]
    public async Task StartWorkerOnTheVethAddress()
    {
        _namespace = await NetworkNamespace.CreateAsync();
        var connectionString = await PostgresServer.CreateDatabaseAsync("dashnet");
        _root = Directory.CreateTempSubdirectory("ktrdr-dashnet-").FullName;
        Directory.CreateDirectory(Path.Combine(_root, "data"));
        _url = string.Create(CultureInfo.InvariantCulture, $"http://{_namespace.HostAddress}:{Ports.Free()}");
        _app = await WorkerApp.StartAsync(_url, WorkerApp.Settings(connectionString, Path.Combine(_root, "data"), Path.Combine(_root, "report")));
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _namespace.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private Task<string> CurlAsync(string path, params string[] options) =>
        _namespace.ExecAsync(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20", .. options, _url + path]);

    [Test]
    public async Task A_request_from_another_host_without_credentials_is_refused() =>
        Assert.That(await CurlAsync("/hangfire"), Is.EqualTo("401"));

    [Test]
    public async Task A_request_from_another_host_that_forges_X_Forwarded_For_is_refused() =>
        Assert.That(await CurlAsync("/hangfire", "-H", "X-Forwarded-For: 127.0.0.1"), Is.EqualTo("401"));

    [Test]
    public async Task A_request_from_another_host_with_the_operator_credentials_is_served() =>
        Assert.That(await CurlAsync("/hangfire", "-u", $"{WorkerApp.Operator}:{WorkerApp.OperatorPassword}"), Is.EqualTo("200"));

    [Test]
    public async Task A_read_API_request_from_another_host_without_credentials_is_refused() =>
        Assert.That(await CurlAsync("/api/v1/symbols"), Is.EqualTo("401"));

    [Test]
    public async Task A_read_API_request_from_another_host_with_the_viewer_credentials_is_served() =>
        Assert.That(await CurlAsync("/api/v1/symbols", "-u", $"{WorkerApp.Viewer}:{WorkerApp.ViewerPassword}"), Is.EqualTo("200"));

    [Test]
    public async Task The_health_endpoint_answers_other_hosts() =>
        Assert.That(await CurlAsync("/health"), Is.EqualTo("200"));
}

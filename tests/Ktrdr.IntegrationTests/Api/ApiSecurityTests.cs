using System.Net;
using System.Text.Json;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Cli;
using Ktrdr.Worker.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Ktrdr.Tests.Api;

/// <summary>
/// The read API (<c>/api/v1</c>) of the real worker behind an in-process test server, which lets each request say which
/// address it comes from: it is gated exactly like the dashboard, and /health stays open. A second worker without
/// credentials shows the refusal no credentials could lift (403).
/// </summary>
[NonParallelizable] // Hangfire in this process (WorkerApp)
public sealed class ApiSecurityTests
{
    private static readonly IPAddress Remote = IPAddress.Parse("10.1.2.3");
    private WebApplication _protected = null!;
    private WebApplication _localOnly = null!;
    private string _root = "";

    [OneTimeSetUp]
    public async Task StartWorkers()
    {
        _root = Directory.CreateTempSubdirectory("ktrdr-apisec-").FullName;
        Directory.CreateDirectory(Path.Combine(_root, "data"));
        var settings = WorkerApp.Settings(await PostgresServer.CreateDatabaseAsync("apisec"), Path.Combine(_root, "data"), Path.Combine(_root, "report"));
        settings["KTRDR_WORKERS"] = "1";
        _protected = await WorkerApp.StartAsync(null, settings, builder => builder.WebHost.UseTestServer());
        var noCredentials = new Dictionary<string, string?>(settings)
        {
            ["KTRDR_DASHBOARD_USER"] = "", ["KTRDR_DASHBOARD_PASSWORD"] = "",
            ["KTRDR_DASHBOARD_VIEWER_USER"] = "", ["KTRDR_DASHBOARD_VIEWER_PASSWORD"] = "",
        };
        _localOnly = await WorkerApp.StartAsync(null, noCredentials, builder => builder.WebHost.UseTestServer());
    }

    [OneTimeTearDown]
    public async Task StopWorkers()
    {
        foreach (var app in new[] { _protected, _localOnly })
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    private static Task<HttpContext> SendAsync(WebApplication app, string path, IPAddress from, string? authorization = null, string host = "localhost") =>
        app.GetTestServer().SendAsync(http =>
        {
            http.Connection.RemoteIpAddress = from;
            http.Request.Host = new HostString(host);
            http.Request.Method = "GET";
            var query = path.IndexOf('?', StringComparison.Ordinal);
            http.Request.Path = query < 0 ? path : path[..query];
            http.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(path[query..]);
            if (authorization is not null)
            {
                http.Request.Headers.Authorization = authorization;
            }
        });

    private static async Task<string> ErrorAsync(HttpContext http)
    {
        using var json = await JsonDocument.ParseAsync(http.Response.Body);
        return json.RootElement.GetProperty("error").GetString()!;
    }

    [TestCase("/api/v1/symbols")]
    [TestCase("/api/v1/symbols?timeframe=1d")]
    [TestCase("/api/v1/data/AAPL/1d")]
    public async Task A_remote_request_without_credentials_is_refused_with_a_Basic_challenge(string path)
    {
        var response = await SendAsync(_protected, path, Remote);
        Assert.That(response.Response.StatusCode, Is.EqualTo(401));
        Assert.That(response.Response.Headers.WWWAuthenticate.ToString(), Does.StartWith("Basic realm="));
        Assert.That(await ErrorAsync(response), Does.Contain("credentials required"));
    }

    [Test]
    public async Task A_remote_request_with_wrong_credentials_is_refused()
    {
        var response = await SendAsync(_protected, "/api/v1/symbols", Remote, WorkerApp.Basic(WorkerApp.Operator, "guess-guess-guess"));
        Assert.That(response.Response.StatusCode, Is.EqualTo(401));
    }

    [Test]
    public async Task A_remote_request_with_the_operators_or_the_viewers_credentials_is_served()
    {
        var asOperator = await SendAsync(_protected, "/api/v1/symbols", Remote, WorkerApp.Basic(WorkerApp.Operator, WorkerApp.OperatorPassword));
        var asViewer = await SendAsync(_protected, "/api/v1/symbols", Remote, WorkerApp.Basic(WorkerApp.Viewer, WorkerApp.ViewerPassword));
        Assert.That(asOperator.Response.StatusCode, Is.EqualTo(200));
        Assert.That(asViewer.Response.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task A_client_sending_the_credentials_of_its_own_settings_as_e2e_verify_does_is_served()
    {
        // The test server's client has no peer address: it is not local, like a client on another host.
        using var client = _protected.GetTestServer().CreateClient();
        using var refused = await client.GetAsync(new Uri("/api/v1/symbols", UriKind.Relative));
        client.DefaultRequestHeaders.Authorization = ApiCredentials.From(new DashboardSecurityOptions
        {
            ViewerUser = WorkerApp.Viewer, ViewerPassword = WorkerApp.ViewerPassword,
        });
        using var served = await client.GetAsync(new Uri("/api/v1/symbols", UriKind.Relative));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_local_request_is_served_without_credentials()
    {
        var response = await SendAsync(_protected, "/api/v1/symbols", IPAddress.Loopback);
        Assert.That(response.Response.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task A_request_a_reverse_proxy_on_this_machine_forwards_for_a_public_host_needs_credentials()
    {
        var proxied = await SendAsync(_protected, "/api/v1/symbols", IPAddress.Loopback, host: "ktrdr.example.com");
        var withCredentials = await SendAsync(_protected, "/api/v1/symbols", IPAddress.Loopback,
            WorkerApp.Basic(WorkerApp.Viewer, WorkerApp.ViewerPassword), host: "ktrdr.example.com");
        Assert.That(proxied.Response.StatusCode, Is.EqualTo(401));
        Assert.That(withCredentials.Response.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task Without_credentials_configured_a_remote_request_is_forbidden_and_told_which_settings_allow_it()
    {
        var response = await SendAsync(_localOnly, "/api/v1/data/AAPL/1d", Remote, WorkerApp.Basic(WorkerApp.Operator, WorkerApp.OperatorPassword));
        Assert.That(response.Response.StatusCode, Is.EqualTo(403));
        Assert.That(response.Response.Headers.WWWAuthenticate.ToString(), Is.Empty);
        Assert.That(await ErrorAsync(response), Does.Contain("KTRDR_DASHBOARD_USER and KTRDR_DASHBOARD_PASSWORD"));
    }

    [Test]
    public async Task Without_credentials_configured_a_local_request_is_served()
    {
        var response = await SendAsync(_localOnly, "/api/v1/symbols", IPAddress.Loopback);
        Assert.That(response.Response.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task Health_answers_remote_requests_without_credentials()
    {
        var response = await SendAsync(_localOnly, "/health", Remote);
        Assert.That(response.Response.StatusCode, Is.EqualTo(200));
    }
}

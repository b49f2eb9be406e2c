using System.Net;
using Hangfire;
using Hangfire.Storage;
using Ktrdr.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Ktrdr.Tests.Dashboard;

/// <summary>
/// The real worker application behind an in-process test server, which lets each request say which address it comes
/// from: who gets the dashboard, who may act on it, and that the storage connection string is never shown.
/// </summary>
[NonParallelizable] // Hangfire in this process (WorkerApp)
public sealed class DashboardSecurityTests
{
    private static readonly IPAddress Remote = IPAddress.Parse("10.1.2.3");
    private WebApplication _app = null!;
    private string _root = "";
    private string _connectionString = "";

    [OneTimeSetUp]
    public async Task StartWorker()
    {
        _connectionString = await PostgresServer.CreateDatabaseAsync("dashsec");
        _root = Directory.CreateTempSubdirectory("ktrdr-dashsec-").FullName;
        Directory.CreateDirectory(Path.Combine(_root, "data"));
        _app = await WorkerApp.StartAsync(null, WorkerApp.Settings(_connectionString, Path.Combine(_root, "data"), Path.Combine(_root, "report")),
            builder => builder.WebHost.UseTestServer());
    }

    [OneTimeTearDown]
    public async Task StopWorker()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private Task<HttpContext> SendAsync(string path, IPAddress from, string? authorization = null, string method = "GET",
        Dictionary<string, string>? form = null, string? forwardedFor = null, string host = "localhost") =>
        _app.GetTestServer().SendAsync(http =>
        {
            http.Connection.RemoteIpAddress = from;
            http.Request.Host = new HostString(host);
            http.Request.Method = method;
            http.Request.Path = path;
            if (authorization is not null)
            {
                http.Request.Headers.Authorization = authorization;
            }

            if (forwardedFor is not null)
            {
                http.Request.Headers["X-Forwarded-For"] = forwardedFor;
            }

            if (form is not null)
            {
                var body = new FormUrlEncodedContent(form);
                http.Request.ContentType = "application/x-www-form-urlencoded";
                http.Request.Body = body.ReadAsStream();
            }
        });

    private static async Task<string> BodyAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Response.Body);
        return await reader.ReadToEndAsync();
    }

    [Test]
    public async Task A_remote_request_without_credentials_is_refused_with_a_Basic_challenge()
    {
        var response = await SendAsync("/hangfire", Remote);
        Assert.That(response.Response.StatusCode, Is.EqualTo(401));
        Assert.That(response.Response.Headers.WWWAuthenticate.ToString(), Does.StartWith("Basic"));
    }

    [Test]
    public async Task A_remote_request_claiming_to_be_forwarded_from_loopback_is_still_refused()
    {
        var response = await SendAsync("/hangfire/recurring", Remote, forwardedFor: "127.0.0.1");
        Assert.That(response.Response.StatusCode, Is.EqualTo(401));
    }

    [Test]
    public async Task A_remote_request_with_wrong_credentials_is_refused()
    {
        var response = await SendAsync("/hangfire", Remote, WorkerApp.Basic(WorkerApp.Operator, "guess-guess-guess"));
        Assert.That(response.Response.StatusCode, Is.EqualTo(401));
    }

    [Test]
    public async Task A_request_a_reverse_proxy_on_this_machine_forwards_for_a_public_host_needs_credentials()
    {
        var proxied = await SendAsync("/hangfire", IPAddress.Loopback, host: "ktrdr.example.com");
        var withCredentials = await SendAsync("/hangfire", IPAddress.Loopback, WorkerApp.Basic(WorkerApp.Viewer, WorkerApp.ViewerPassword), host: "ktrdr.example.com");
        Assert.That(proxied.Response.StatusCode, Is.EqualTo(401));
        Assert.That(withCredentials.Response.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task A_local_request_is_served_without_credentials()
    {
        var response = await SendAsync("/hangfire", IPAddress.Loopback);
        Assert.That(response.Response.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task The_operator_sees_the_recurring_jobs_with_their_trigger_button()
    {
        var response = await SendAsync("/hangfire/recurring", Remote, WorkerApp.Basic(WorkerApp.Operator, WorkerApp.OperatorPassword));
        var html = await BodyAsync(response);
        Assert.That(response.Response.StatusCode, Is.EqualTo(200));
        Assert.That(html, Does.Contain("migrate-all").And.Contain("recurring/trigger"));
    }

    [Test]
    public async Task The_viewer_sees_the_recurring_jobs_but_no_buttons_and_cannot_trigger_one()
    {
        var viewer = WorkerApp.Basic(WorkerApp.Viewer, WorkerApp.ViewerPassword);
        var page = await SendAsync("/hangfire/recurring", Remote, viewer);
        var html = await BodyAsync(page);
        var trigger = await SendAsync("/hangfire/recurring/trigger", Remote, viewer, "POST", new() { ["jobs[]"] = "migrate-all" });
        using var connection = _app.Services.GetRequiredService<JobStorage>().GetConnection();
        var migrateAll = connection.GetRecurringJobs().Single(j => j.Id == "migrate-all");
        Assert.Multiple(() =>
        {
            Assert.That(page.Response.StatusCode, Is.EqualTo(200));
            Assert.That(html, Does.Contain("migrate-all").And.Not.Contain("recurring/trigger"));
            Assert.That(trigger.Response.StatusCode, Is.AnyOf(401, 403));
            Assert.That(migrateAll.LastJobId, Is.Null, "the viewer's POST triggered migrate-all");
        });
    }

    [TestCase("/hangfire")]
    [TestCase("/hangfire/servers")]
    [TestCase("/hangfire/recurring")]
    public async Task No_page_shows_the_storage_connection_string(string path)
    {
        var response = await SendAsync(path, IPAddress.Loopback);
        var html = await BodyAsync(response);
        var database = new Npgsql.NpgsqlConnectionStringBuilder(_connectionString).Database!;
        Assert.That(response.Response.StatusCode, Is.EqualTo(200));
        Assert.That(html, Does.Not.Contain(database).And.Not.Contain("Password=").IgnoreCase.And.Not.Contain("Host="));
    }

    [Test]
    public async Task The_migration_page_is_behind_the_same_gate_and_encodes_what_came_from_files()
    {
        var store = _app.Services.GetRequiredService<Ktrdr.Jobs.MigrationRunStore>();
        var (_, items) = await store.CreateRunAsync("/data", "/reports", [], [], [("<script>alert(1)</script>", "1d", "/data/x.csv", 1)], CancellationToken.None);
        await store.FailItemAsync(items[0].Id, "<img src=x onerror=alert(2)>", final: true, CancellationToken.None);

        var refused = await SendAsync("/hangfire/migration", Remote);
        var page = await SendAsync("/hangfire/migration", IPAddress.Loopback);
        var html = await BodyAsync(page);
        Assert.Multiple(() =>
        {
            Assert.That(refused.Response.StatusCode, Is.EqualTo(401));
            Assert.That(page.Response.StatusCode, Is.EqualTo(200));
            Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;").And.Contain("&lt;img src=x onerror=alert(2)&gt;"));
            Assert.That(html, Does.Not.Contain("<script>").And.Not.Contain("<img"));
        });
    }

    [Test]
    public async Task A_runs_report_is_behind_the_same_gate_and_a_run_without_one_is_not_found()
    {
        var store = _app.Services.GetRequiredService<Ktrdr.Jobs.MigrationRunStore>();
        var (runId, _) = await store.CreateRunAsync("/data", "/reports", [], [], [("REPORTLESS", "1d", "/data/r.csv", 1)], CancellationToken.None);
        var refused = await SendAsync($"/hangfire/migration/report/{runId}", Remote);
        var missing = await SendAsync($"/hangfire/migration/report/{runId}", IPAddress.Loopback);
        Assert.That(refused.Response.StatusCode, Is.EqualTo(401));
        Assert.That(missing.Response.StatusCode, Is.EqualTo(404));
        Assert.That(await BodyAsync(missing), Does.Contain("has no report (yet)"));
    }

    [Test]
    public async Task A_POST_without_the_pages_anti_forgery_token_triggers_nothing_even_from_loopback()
    {
        var forged = await SendAsync("/hangfire/recurring/trigger", IPAddress.Loopback, method: "POST", form: new() { ["jobs[]"] = "nightly-verify" });
        using var connection = _app.Services.GetRequiredService<JobStorage>().GetConnection();
        var nightly = connection.GetRecurringJobs().Single(j => j.Id == "nightly-verify");
        Assert.That(forged.Response.StatusCode, Is.Not.InRange(200, 299));
        Assert.That(nightly.LastJobId, Is.Null, "a forged POST triggered nightly-verify");
    }
}


using System.Net;
using System.Text;
using Ktrdr.Worker.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Ktrdr.Tests.Hosting;

public sealed class RequestAccessGateTests
{
    private const string OperatorPassword = "operator-secret-1";
    private const string ViewerPassword = "viewer-secret-22";
    private static readonly IPAddress Remote = IPAddress.Parse("10.1.2.3");

    private static RequestAccessGate Filter(bool credentials = true, bool readOnly = false) =>
        new(Options.Create(credentials
            ? new DashboardSecurityOptions { User = "ops", Password = OperatorPassword, ViewerUser = "viewer", ViewerPassword = ViewerPassword, ReadOnly = readOnly }
            : new DashboardSecurityOptions { ReadOnly = readOnly }));

    private static DefaultHttpContext Request(IPAddress? from, string? user = null, string? password = null, string? forwardedFor = null,
        string host = "127.0.0.1:5080")
    {
        var http = new DefaultHttpContext();
        http.Request.Host = new HostString(host);
        http.Connection.RemoteIpAddress = from;
        http.Connection.LocalIpAddress = IPAddress.Parse("10.1.2.1");
        if (user is not null)
        {
            http.Request.Headers.Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        }

        if (forwardedFor is not null)
        {
            http.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }

        return http;
    }

    [Test]
    public void A_remote_request_without_credentials_is_refused_with_a_Basic_challenge()
    {
        var http = Request(Remote);
        Assert.That(Filter().Decide(http), Is.EqualTo(DashboardAccess.Denied));
        Assert.That(http.Response.Headers.WWWAuthenticate.ToString(), Does.StartWith("Basic realm="));
    }

    [Test]
    public void A_remote_request_is_refused_when_no_credentials_are_configured_at_all() =>
        Assert.That(Filter(credentials: false).Decide(Request(Remote, "ops", OperatorPassword)), Is.EqualTo(DashboardAccess.Denied));

    [Test]
    public void X_Forwarded_For_does_not_make_a_remote_request_local() =>
        Assert.That(Filter().Decide(Request(Remote, forwardedFor: "127.0.0.1")), Is.EqualTo(DashboardAccess.Denied));

    [Test]
    public void A_request_without_a_peer_address_is_not_local() =>
        Assert.That(Filter().Decide(Request(null)), Is.EqualTo(DashboardAccess.Denied));

    [TestCase("ops", "wrong-password-123")]
    [TestCase("viewer", OperatorPassword)]
    [TestCase("nobody", OperatorPassword)]
    [TestCase("ops", "")]
    public void Wrong_credentials_are_refused(string user, string password) =>
        Assert.That(Filter().Decide(Request(Remote, user, password)), Is.EqualTo(DashboardAccess.Denied));

    [Test]
    public void A_malformed_Authorization_header_is_refused()
    {
        var http = Request(Remote);
        http.Request.Headers.Authorization = "Basic not*base64";
        Assert.That(Filter().Decide(http), Is.EqualTo(DashboardAccess.Denied));
    }

    [Test]
    public void The_operator_gets_full_access_from_anywhere() =>
        Assert.That(Filter().Decide(Request(Remote, "ops", OperatorPassword)), Is.EqualTo(DashboardAccess.Full));

    [Test]
    public void The_viewer_gets_read_only_access() =>
        Assert.That(Filter().Decide(Request(Remote, "viewer", ViewerPassword)), Is.EqualTo(DashboardAccess.ReadOnly));

    [TestCase("127.0.0.1")]
    [TestCase("127.0.0.2")]
    [TestCase("::1")]
    [TestCase("::ffff:127.0.0.1")]
    public void A_local_request_needs_no_credentials(string address) =>
        Assert.That(Filter(credentials: false).Decide(Request(IPAddress.Parse(address))), Is.EqualTo(DashboardAccess.Full));

    [Test]
    public void Read_only_mode_applies_to_local_requests_and_the_operator_too()
    {
        var filter = Filter(readOnly: true);
        Assert.Multiple(() =>
        {
            Assert.That(filter.Decide(Request(IPAddress.Loopback)), Is.EqualTo(DashboardAccess.ReadOnly));
            Assert.That(filter.Decide(Request(Remote, "ops", OperatorPassword)), Is.EqualTo(DashboardAccess.ReadOnly));
            Assert.That(filter.Decide(Request(Remote)), Is.EqualTo(DashboardAccess.Denied));
        });
    }

    [TestCase("ops", "short", null, null, "too short")]
    [TestCase("ops", null, null, null, "KTRDR_DASHBOARD_USER and KTRDR_DASHBOARD_PASSWORD")]
    [TestCase(null, null, "viewer", null, "KTRDR_DASHBOARD_VIEWER_USER and KTRDR_DASHBOARD_VIEWER_PASSWORD")]
    [TestCase("a:b", "long-enough-password", null, null, "may not contain ':'")]
    public void Incomplete_or_weak_credentials_are_a_configuration_error(string? user, string? password, string? viewer, string? viewerPassword, string message)
    {
        var options = new DashboardSecurityOptions { User = user, Password = password, ViewerUser = viewer, ViewerPassword = viewerPassword };
        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(e => e.ErrorMessage).ToList();
        Assert.That(errors, Has.Some.Contains(message));
    }

    [TestCase("localhost:5080")]
    [TestCase("[::1]:5080")]
    [TestCase("127.0.0.1")]
    public void A_local_request_may_name_the_host_localhost_or_a_loopback_address(string host) =>
        Assert.That(Filter().Decide(Request(IPAddress.Loopback, host: host)), Is.EqualTo(DashboardAccess.Full));

    [TestCase("ktrdr.example.com")]
    [TestCase("evil.example:5080")]
    [TestCase("10.1.2.1:5080")]
    public void A_loopback_request_for_another_host_needs_credentials_as_a_proxied_or_rebound_request_would(string host)
    {
        Assert.That(Filter().Decide(Request(IPAddress.Loopback, host: host)), Is.EqualTo(DashboardAccess.Denied));
        Assert.That(Filter().Decide(Request(IPAddress.Loopback, "ops", OperatorPassword, host: host)), Is.EqualTo(DashboardAccess.Full));
    }
}

using System.Text;
using Ktrdr.Worker.Cli;
using Ktrdr.Worker.Hosting;

namespace Ktrdr.Tests.Hosting;

public sealed class ApiCredentialsTests
{
    private static string? Decoded(DashboardSecurityOptions options) =>
        ApiCredentials.From(options) is { } header ? $"{header.Scheme} {Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter!))}" : null;

    [Test]
    public void The_viewers_credentials_are_sent_when_set_as_reading_needs_no_more() =>
        Assert.That(Decoded(new() { User = "ops", Password = "operator-secret-1", ViewerUser = "viewer", ViewerPassword = "viewer-secret-22" }),
            Is.EqualTo("Basic viewer:viewer-secret-22"));

    [Test]
    public void The_operators_credentials_are_sent_when_no_viewer_is_configured() =>
        Assert.That(Decoded(new() { User = "ops", Password = "operator-secret-1" }), Is.EqualTo("Basic ops:operator-secret-1"));

    [Test]
    public void Nothing_is_sent_without_credentials() =>
        Assert.That(Decoded(new()), Is.Null);
}

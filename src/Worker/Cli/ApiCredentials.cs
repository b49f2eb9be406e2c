using System.Net.Http.Headers;
using System.Text;
using Ktrdr.Worker.Hosting;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// What a client of the read API (<c>e2e-verify --api-url</c>) sends: the dashboard credentials of its own settings, so
/// that a worker on another host, which answers only with them, can be checked.
/// </summary>
internal static class ApiCredentials
{
    /// <summary>
    /// The viewer's credentials when set (reading needs no more), else the operator's; null with none configured.
    /// </summary>
    public static AuthenticationHeaderValue? From(DashboardSecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (user, password) = !string.IsNullOrEmpty(options.ViewerUser) ? (options.ViewerUser, options.ViewerPassword) : (options.User, options.Password);
        return string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password)
            ? null
            : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
    }
}

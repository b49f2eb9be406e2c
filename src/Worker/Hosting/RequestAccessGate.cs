using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Ktrdr.Worker.Hosting;

/// <summary>
/// The one gate of the dashboard and the read API (<c>/api/v1</c>). A request from a loopback peer to a loopback host name
/// is local; every other request must present configured credentials (HTTP Basic). Forwarding headers such as
/// <c>X-Forwarded-For</c> are not trusted (the worker adds no forwarded-headers middleware), so a remote client cannot
/// pass itself off as local. Credentials are compared in constant time.
/// </summary>
internal sealed class RequestAccessGate(IOptions<DashboardSecurityOptions> options)
{
    // One realm for both: a browser that has the dashboard's credentials sends them to the API unasked.
    private const string Challenge = "Basic realm=\"Ktrdr.Worker\", charset=\"UTF-8\"";
    private readonly DashboardSecurityOptions _options = options.Value;

    /// <summary>Whether credentials are configured, i.e. whether anyone but a local request can ever be let in.</summary>
    public bool HasCredentials => _options.HasCredentials;

    /// <summary>What <paramref name="http"/> may do; a denied request gets a Basic challenge when credentials exist.</summary>
    public DashboardAccess Decide(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var access = Credentials(http.Request) switch
        {
            DashboardAccess.Full => DashboardAccess.Full,
            DashboardAccess.ReadOnly => DashboardAccess.ReadOnly,
            _ => IsLocal(http) ? DashboardAccess.Full : DashboardAccess.Denied,
        };
        if (access == DashboardAccess.Denied && _options.HasCredentials)
        {
            http.Response.Headers.WWWAuthenticate = Challenge;
        }

        return access == DashboardAccess.Full && _options.ReadOnly ? DashboardAccess.ReadOnly : access;
    }

    /// <summary>
    /// A loopback peer that also asked for a loopback host. The host check keeps out what only looks local: requests a
    /// reverse proxy on this machine forwards (they carry the public host name) and a browser page that rebinds its
    /// own DNS name to 127.0.0.1.
    /// </summary>
    private static bool IsLocal(HttpContext http)
    {
        var remote = http.Connection.RemoteIpAddress;
        return remote is not null && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote)
               && IsLoopbackHost(http.Request.Host.Host);
    }

    private static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private DashboardAccess Credentials(HttpRequest request)
    {
        if (!_options.HasCredentials || !AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return DashboardAccess.Denied;
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return DashboardAccess.Denied;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return DashboardAccess.Denied;
        }

        var (user, password) = (text[..colon], text[(colon + 1)..]);
        if (Matches(user, password, _options.User, _options.Password))
        {
            return DashboardAccess.Full;
        }

        return Matches(user, password, _options.ViewerUser, _options.ViewerPassword) ? DashboardAccess.ReadOnly : DashboardAccess.Denied;
    }

    private static bool Matches(string user, string password, string? expectedUser, string? expectedPassword) =>
        !string.IsNullOrEmpty(expectedUser) && !string.IsNullOrEmpty(expectedPassword)
        // Both compared every time, on fixed-length hashes: the timing says nothing about which part or how much matched.
        & CryptographicOperations.FixedTimeEquals(Hash(user), Hash(expectedUser ?? ""))
        & CryptographicOperations.FixedTimeEquals(Hash(password), Hash(expectedPassword ?? ""));

    private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}

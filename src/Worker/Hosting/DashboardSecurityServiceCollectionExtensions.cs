using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Ktrdr.Worker.Hosting;

internal static partial class DashboardSecurityServiceCollectionExtensions
{
    /// <summary>The dashboard's credentials (validated at start) and its authorization filter.</summary>
    public static IServiceCollection AddKtrdrDashboardSecurity(this IServiceCollection services)
    {
        services.AddOptions<DashboardSecurityOptions>().BindConfiguration("").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RequestAccessGate>();
        services.AddSingleton<DashboardAuthorizationFilter>();
        return services;
    }

    /// <summary>
    /// Refuses to listen beyond loopback without credentials: the dashboard and the read API would answer every other
    /// host with a refusal, so such a worker is a mistake in its settings (usually forgotten credentials). Checked before
    /// binding (<paramref name="urls"/>).
    /// </summary>
    /// <param name="urls">The addresses to listen on, separated by ';' as in ASPNETCORE_URLS.</param>
    /// <param name="configuration">Where the credentials are set.</param>
    /// <exception cref="ArgumentException">A non-loopback address without credentials (exit 2).</exception>
    public static void RefuseExposureWithoutCredentials(string urls, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(urls);
        ArgumentNullException.ThrowIfNull(configuration);
        Refuse(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), configuration.Get<DashboardSecurityOptions>() ?? new());
    }

    /// <summary>
    /// The same check on the addresses the server actually bound: Kestrel endpoints in the configuration
    /// (<c>Kestrel__Endpoints__...</c>) replace <c>--urls</c>. Says who may use the worker when it listens beyond loopback.
    /// </summary>
    /// <exception cref="ArgumentException">A non-loopback address without credentials (exit 2).</exception>
    public static void CheckListening(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Refuse(addresses, app.Services.GetRequiredService<IOptions<DashboardSecurityOptions>>().Value);
        var exposed = addresses.Where(a => !IsLoopback(a)).ToList();
        if (exposed.Count > 0)
        {
            LogProtected(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ktrdr.Worker.Dashboard"), string.Join(", ", exposed));
        }
    }

    private static void Refuse(IEnumerable<string> addresses, DashboardSecurityOptions options)
    {
        var exposed = addresses.Where(a => !IsLoopback(a)).ToList();
        if (exposed.Count > 0 && !options.HasCredentials)
        {
            throw new ArgumentException(
                $"serve would listen on {string.Join(", ", exposed)}, beyond loopback, without credentials: other hosts could use neither the "
                + "dashboard nor the read API. Set KTRDR_DASHBOARD_USER and KTRDR_DASHBOARD_PASSWORD (or KTRDR_DASHBOARD_VIEWER_USER and "
                + "KTRDR_DASHBOARD_VIEWER_PASSWORD), or listen on loopback only (--urls / ASPNETCORE_URLS, e.g. http://127.0.0.1:5080)");
        }
    }

    private static bool IsLoopback(string address) =>
        Uri.TryCreate(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
        && (uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)));

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Listening on {Addresses}: remote dashboard and read API requests need the configured credentials (HTTP Basic; put TLS in front)")]
    private static partial void LogProtected(ILogger logger, string addresses);
}

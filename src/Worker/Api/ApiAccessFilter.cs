using Ktrdr.Worker.Hosting;

namespace Ktrdr.Worker.Api;

/// <summary>
/// Puts the read API behind the dashboard's gate (<see cref="RequestAccessGate"/>): local requests are served, others
/// need the configured credentials. Bars are the platform's data, and the API is as reachable as the dashboard.
/// </summary>
internal sealed class ApiAccessFilter(RequestAccessGate gate) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (gate.Decide(http) != DashboardAccess.Denied)
        {
            return await next(context);
        }

        // 401 only where credentials could help (the gate has set the Basic challenge); with none configured nothing a
        // client sends can let it in, so it is refused outright and told why.
        if (gate.HasCredentials)
        {
            await DataEndpoints.ErrorAsync(http, StatusCodes.Status401Unauthorized,
                "credentials required: send the dashboard's user and password (HTTP Basic)");
        }
        else
        {
            await DataEndpoints.ErrorAsync(http, StatusCodes.Status403Forbidden,
                "the read API serves only local requests (a loopback client asking for localhost or 127.0.0.1); "
                + "set KTRDR_DASHBOARD_USER and KTRDR_DASHBOARD_PASSWORD (or the VIEWER pair) to serve others with credentials");
        }

        return Results.Empty;
    }
}

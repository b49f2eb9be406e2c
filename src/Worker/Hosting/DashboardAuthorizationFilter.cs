using Hangfire.Dashboard;

namespace Ktrdr.Worker.Hosting;

/// <summary>Hangfire's view of <see cref="RequestAccessGate"/>: who may see the dashboard, and who may only look.</summary>
internal sealed class DashboardAuthorizationFilter(RequestAccessGate gate) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => gate.Decide(context.GetHttpContext()) != DashboardAccess.Denied;

    /// <summary>For <c>DashboardOptions.IsReadOnlyFunc</c>.</summary>
    public bool IsReadOnly(DashboardContext context) => gate.Decide(context.GetHttpContext()) != DashboardAccess.Full;
}

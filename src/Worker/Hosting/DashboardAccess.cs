namespace Ktrdr.Worker.Hosting;

/// <summary>What a request may do with the dashboard.</summary>
public enum DashboardAccess
{
    /// <summary>Refused (401, with a Basic challenge when credentials are configured).</summary>
    Denied,

    /// <summary>May look, not trigger, retry or delete.</summary>
    ReadOnly,

    /// <summary>May look and act.</summary>
    Full,
}

using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Ktrdr.Worker.Hosting;

/// <summary>
/// Who may use the dashboard. Requests from this machine (loopback) are always served; requests from elsewhere need
/// the operator's or the viewer's credentials (HTTP Basic: put TLS in front of a worker reachable from other machines).
/// With no credentials configured, only local requests are served.
/// </summary>
public sealed class DashboardSecurityOptions : IValidatableObject
{
    /// <summary>The operator's user name: full access (trigger, retry, delete).</summary>
    [ConfigurationKeyName("KTRDR_DASHBOARD_USER")]
    public string? User { get; set; }

    [ConfigurationKeyName("KTRDR_DASHBOARD_PASSWORD")]
    public string? Password { get; set; }

    /// <summary>The viewer's user name: read-only access.</summary>
    [ConfigurationKeyName("KTRDR_DASHBOARD_VIEWER_USER")]
    public string? ViewerUser { get; set; }

    [ConfigurationKeyName("KTRDR_DASHBOARD_VIEWER_PASSWORD")]
    public string? ViewerPassword { get; set; }

    /// <summary>Everyone, local requests and the operator included, gets read-only access.</summary>
    [ConfigurationKeyName("KTRDR_DASHBOARD_READONLY")]
    public bool ReadOnly { get; set; }

    /// <summary>Whether any credentials are configured (remote access possible).</summary>
    public bool HasCredentials => !string.IsNullOrEmpty(User) || !string.IsNullOrEmpty(ViewerUser);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (user, password, prefix) in new[] { (User, Password, "KTRDR_DASHBOARD"), (ViewerUser, ViewerPassword, "KTRDR_DASHBOARD_VIEWER") })
        {
            if (string.IsNullOrEmpty(user) != string.IsNullOrEmpty(password))
            {
                yield return new ValidationResult($"set both {prefix}_USER and {prefix}_PASSWORD, or neither");
            }
            else if (!string.IsNullOrEmpty(password) && password.Length < 12)
            {
                yield return new ValidationResult($"{prefix}_PASSWORD is too short: use at least 12 characters");
            }
            else if (user is not null && user.Contains(':', StringComparison.Ordinal))
            {
                yield return new ValidationResult($"{prefix}_USER may not contain ':' (HTTP Basic separates user and password with it)");
            }
        }
    }
}

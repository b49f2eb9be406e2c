using Ktrdr.Backends.Timescale;
using Ktrdr.Worker.Cli;
using Microsoft.AspNetCore.Builder;

namespace Ktrdr.Tests.Infrastructure;

/// <summary>The real <c>serve</c> application (ServeCommand.Build) on a test database, in this process.</summary>
internal static class WorkerApp
{
    public const string Operator = "ops";
    public const string OperatorPassword = "operator-password-1";
    public const string Viewer = "viewer";
    public const string ViewerPassword = "viewer-password-22";

    /// <summary>Settings of a worker on <paramref name="connectionString"/> with operator and viewer credentials.</summary>
    public static Dictionary<string, string?> Settings(string connectionString, string dataDir, string reportDir) => new()
    {
        ["DB_TYPE"] = "postgresql",
        ["DB_CONNECTION_STRING"] = connectionString,
        ["DATA_DIR"] = dataDir,
        ["KTRDR_REPORT_DIR"] = reportDir,
        ["KTRDR_LOG_LEVEL"] = "Warning",
        ["KTRDR_POLL_INTERVAL"] = "00:00:00.2",
        ["KTRDR_DASHBOARD_USER"] = Operator,
        ["KTRDR_DASHBOARD_PASSWORD"] = OperatorPassword,
        ["KTRDR_DASHBOARD_VIEWER_USER"] = Viewer,
        ["KTRDR_DASHBOARD_VIEWER_PASSWORD"] = ViewerPassword,
    };

    /// <summary>Applies the schema, then builds and starts the worker.</summary>
    public static async Task<WebApplication> StartAsync(string? urls, Dictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null)
    {
        await using (var services = TestServices.Build(settings["DB_CONNECTION_STRING"]!, settings["DATA_DIR"]!))
        {
            await services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        }

        var app = ServeCommand.Build(urls, settings, configure);
        await app.StartAsync();
        return app;
    }

    public static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}"));
}

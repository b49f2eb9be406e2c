using Ktrdr.Worker.Cli;

namespace Ktrdr.Tests.Infrastructure;

/// <summary>The worker's own service wiring, pointed at a test database and data directory.</summary>
internal static class TestServices
{
    public static ServiceProvider Build(string connectionString, string dataDir, IReadOnlyDictionary<string, string?>? extra = null,
        Action<IServiceCollection, IConfiguration>? configure = null)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["DB_TYPE"] = "postgresql",
            ["DB_CONNECTION_STRING"] = connectionString,
            ["DATA_DIR"] = dataDir,
            ["KTRDR_LOG_LEVEL"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            overrides[key] = value;
        }

        return CliServices.Build(overrides, configure);
    }
}

using Ktrdr.Worker.Hosting;

namespace Ktrdr.Tests.Infrastructure;

/// <summary>
/// The worker's services from its own host builder (<see cref="KtrdrHost"/>), pointed at a test database and data
/// directory, with every setting validated as a command's are.
/// </summary>
internal static class TestServices
{
    /// <param name="configure">A test's additions (a fake, an exporter) to the worker's registrations.</param>
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

        var builder = KtrdrHost.CreateBuilder(overrides);
        configure?.Invoke(builder.Services, builder.Configuration);
        return builder.BuildServices();
    }
}

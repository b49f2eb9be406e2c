using Ktrdr.Backends.Timescale;

namespace Ktrdr.Tests.Infrastructure;

/// <summary>A fixture's own database with the schema applied, a data directory, and the worker's services wired to both.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string connectionString, string dataDir, ServiceProvider services)
    {
        ConnectionString = connectionString;
        DataDir = dataDir;
        Services = services;
    }

    public string ConnectionString { get; }

    public string DataDir { get; }

    public ServiceProvider Services { get; }

    public TimescaleBackend Backend => Services.GetRequiredService<TimescaleBackend>();

    public static async Task<TestDatabase> CreateAsync(string prefix, Action<IServiceCollection, IConfiguration>? configure = null)
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync(prefix);
        var dataDir = Directory.CreateTempSubdirectory($"ktrdr-{prefix}-").FullName;
        var services = TestServices.Build(connectionString, dataDir, configure: configure);
        await services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        return new TestDatabase(connectionString, dataDir, services);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Directory.Delete(DataDir, recursive: true);
    }
}

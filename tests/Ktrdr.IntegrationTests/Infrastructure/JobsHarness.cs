using Dapper;
using Hangfire;
using Hangfire.AspNetCore;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs;
using Ktrdr.Worker.Hosting;
using Npgsql;

namespace Ktrdr.Tests.Infrastructure;

/// <summary>
/// A test database with the schema, a data and a report directory, the worker's real services, and real Hangfire
/// servers started on demand (in this process, or as separate <c>ktrdr serve</c> processes).
/// </summary>
internal sealed class JobsHarness : IAsyncDisposable
{
    private readonly List<BackgroundJobServer> _servers = [];

    private JobsHarness(string connectionString, string root, ServiceProvider services)
    {
        ConnectionString = connectionString;
        Root = root;
        Services = services;
    }

    public string ConnectionString { get; }

    public string Root { get; }

    public string DataDir => Path.Combine(Root, "data");

    public string ReportDir => Path.Combine(Root, "report");

    public ServiceProvider Services { get; }

    public MigrationRunStore Store => Services.GetRequiredService<MigrationRunStore>();

    /// <summary>Settings that make retries and crash recovery fast enough for tests.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["DB_TYPE"] = "postgresql",
        ["DB_CONNECTION_STRING"] = ConnectionString,
        ["DATA_DIR"] = DataDir,
        ["KTRDR_REPORT_DIR"] = ReportDir,
        ["KTRDR_RETRY_DELAYS"] = "1",
        ["KTRDR_INVISIBILITY_TIMEOUT"] = "00:00:15",
        ["KTRDR_POLL_INTERVAL"] = "00:00:00.200",
        ["KTRDR_LOG_LEVEL"] = "Warning",
    };

    public static Task<JobsHarness> CreateAsync(string prefix) => CreateAsync(prefix, null, migrate: true);

    /// <summary>
    /// A harness whose database first gets <paramref name="prepare"/> (the platform's own price_data, say), then the
    /// schema (as 'db migrate' applies it) unless <paramref name="migrate"/> is false.
    /// </summary>
    public static async Task<JobsHarness> CreateAsync(string prefix, Func<string, Task>? prepare, bool migrate)
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync(prefix);
        if (prepare is not null)
        {
            await prepare(connectionString);
        }

        var root = Directory.CreateTempSubdirectory($"ktrdr-{prefix}-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "data"));
        var harness = new JobsHarness(connectionString, root, null!);
        var services = TestServices.Build(connectionString, harness.DataDir, harness.Settings, (s, _) => s.AddKtrdrJobs().AddKtrdrHangfireClient());
        if (migrate)
        {
            await services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        }

        return new JobsHarness(connectionString, root, services);
    }

    /// <summary>A Hangfire server in this process, on the harness's storage.</summary>
    public BackgroundJobServer StartServer(string name, int workers = 2)
    {
        var server = new BackgroundJobServer(new BackgroundJobServerOptions
        {
            ServerName = $"{name}-{Guid.NewGuid():N}",
            WorkerCount = workers,
            SchedulePollingInterval = TimeSpan.FromMilliseconds(500),
            Activator = new AspNetCoreJobActivator(Services.GetRequiredService<IServiceScopeFactory>()),
        }, Services.GetRequiredService<JobStorage>());
        _servers.Add(server);
        return server;
    }

    /// <summary>Plans and starts a run of the data directory (jobs only enqueued).</summary>
    public Task<long> StartRunAsync(IReadOnlyList<string>? symbols = null) =>
        Services.GetRequiredService<MigrationPlanner>().StartAsync(
            MigrationPlanner.Plan(new MigrationRequest(DataDir, ReportDir, [], symbols ?? [])), CancellationToken.None);

    /// <summary>
    /// Waits until run <paramref name="runId"/> is final, failing with where it stuck after <paramref name="timeout"/> or
    /// when <paramref name="cancellationToken"/> (a test's [CancelAfter]) fires.
    /// </summary>
    public async Task<MigrationRun> WaitForRunAsync(long runId, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cancel.CancelAfter(timeout ?? TimeSpan.FromMinutes(3));
        while (true)
        {
            var run = await Store.GetRunAsync(runId, CancellationToken.None);
            if (run is not null && run.State.IsFinal())
            {
                return run;
            }

            if (cancel.IsCancellationRequested)
            {
                // Say where the run stuck, rather than a bare TaskCanceledException.
                var items = await Store.GetItemsAsync(runId, CancellationToken.None);
                Assert.Fail($"run {runId} did not reach a final state in time: state {run?.State.ToText() ?? "(missing)"}; items: " +
                            string.Join("; ", items.Select(i => $"{i.Symbol} {i.Timeframe} {i.State} attempts {i.Attempts} {i.Error}")));
            }

            await Task.Delay(200, CancellationToken.None);
        }
    }

    /// <summary>Waits until an import has reported at least <paramref name="rows"/> lines read.</summary>
    public async Task WaitForRowsAsync(long itemId, long rows, CancellationToken cancellationToken = default)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(TimeSpan.FromMinutes(2));
        while ((await Store.GetItemAsync(itemId, wait.Token))!.RowsDone < rows)
        {
            await Task.Delay(20, wait.Token);
        }
    }

    public async Task<long> ScalarAsync(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            server.SendStop();
        }

        foreach (var server in _servers)
        {
            server.Dispose();
        }

        await Services.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}

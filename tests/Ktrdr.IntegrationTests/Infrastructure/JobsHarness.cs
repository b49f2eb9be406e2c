using Dapper;
using Hangfire;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs;
using Ktrdr.Worker.Hosting;
using Npgsql;

namespace Ktrdr.Tests.Infrastructure;

/// <summary>
/// The one job harness: a test database with the schema, a data and a report directory, the worker's services built
/// by the worker's own host builder (<see cref="KtrdrHost"/>, through <see cref="TestServices"/>), and real Hangfire
/// servers in this process with the host's storage, activator and job filters (or separate <c>ktrdr serve</c>
/// processes on <see cref="Settings"/>). Runs go through the same planner, jobs, retries and fan-in as in production.
/// </summary>
internal sealed class JobsHarness : IAsyncDisposable
{
    private readonly List<BackgroundJobServer> _servers = [];
    private readonly Dictionary<string, string?> _extra = [];
    private readonly bool _ownsRoot;

    private JobsHarness(string connectionString, string root, string dataDir, string reportDir, IReadOnlyDictionary<string, string?>? extra,
        Action<IServiceCollection, IConfiguration>? configure, bool ownsRoot)
    {
        ConnectionString = connectionString;
        Root = root;
        DataDir = dataDir;
        ReportDir = reportDir;
        _ownsRoot = ownsRoot;
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            _extra[key] = value;
        }

        Services = TestServices.Build(connectionString, dataDir, Settings, configure);
    }

    public string ConnectionString { get; }

    public string Root { get; }

    public string DataDir { get; }

    public string ReportDir { get; }

    public ServiceProvider Services { get; }

    public MigrationRunStore Store => Services.GetRequiredService<MigrationRunStore>();

    /// <summary>Settings that make retries and crash recovery fast enough for tests, with the test's own on top.</summary>
    public Dictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>
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
            foreach (var (key, value) in _extra)
            {
                settings[key] = value;
            }

            return settings;
        }
    }

    public static Task<JobsHarness> CreateAsync(string prefix) => CreateAsync(prefix, null, migrate: true);

    /// <summary>
    /// A harness whose database first gets <paramref name="prepare"/> (the platform's own price_data, say), then the
    /// schema (as 'db migrate' applies it) unless <paramref name="migrate"/> is false. The harness owns its directory.
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
        var harness = new JobsHarness(connectionString, root, Path.Combine(root, "data"), Path.Combine(root, "report"), null, null, ownsRoot: true);
        if (migrate)
        {
            await harness.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        }

        return harness;
    }

    /// <summary>
    /// A harness on the test's own database and data directory (which stay the test's), with the schema applied and a
    /// server of <paramref name="workers"/> workers started; <paramref name="extra"/> overrides the test settings.
    /// </summary>
    public static async Task<JobsHarness> StartAsync(string connectionString, string dataDir, IReadOnlyDictionary<string, string?>? extra = null,
        Action<IServiceCollection, IConfiguration>? configure = null, int workers = 2)
    {
        var harness = new JobsHarness(connectionString, dataDir, dataDir, Path.Combine(dataDir, "report"), extra, configure, ownsRoot: false);
        await harness.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        harness.StartServer("test", workers);
        return harness;
    }

    /// <summary>A Hangfire server in this process, on the harness's storage, with the host's job filters.</summary>
    public BackgroundJobServer StartServer(string name, int workers = 2)
    {
        var server = KtrdrHangfireExtensions.StartServer(Services, new BackgroundJobServerOptions
        {
            ServerName = $"{name}-{Guid.NewGuid():N}",
            WorkerCount = workers,
            SchedulePollingInterval = TimeSpan.FromMilliseconds(500),
        });
        _servers.Add(server);
        return server;
    }

    /// <summary>Plans and starts a run of the data directory (jobs only enqueued).</summary>
    public Task<long> StartRunAsync(IReadOnlyList<string>? symbols = null) =>
        Services.GetRequiredService<MigrationPlanner>().StartAsync(
            Services.GetRequiredService<MigrationPlanner>().Plan(new MigrationRequest(DataDir, ReportDir, [], symbols ?? [])), CancellationToken.None);

    /// <summary>Plans and starts a run of <paramref name="dataDir"/> and waits until it is final.</summary>
    public async Task<(MigrationRun Run, IReadOnlyList<MigrationItem> Items)> MigrateAsync(string dataDir, string reportDir, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var plan = Services.GetRequiredService<MigrationPlanner>().Plan(new MigrationRequest(dataDir, reportDir, [], []));
        var runId = await Services.GetRequiredService<MigrationPlanner>().StartAsync(plan, CancellationToken.None);
        return await WaitAsync(runId, timeout, cancellationToken);
    }

    /// <summary>Like <see cref="WaitForRunAsync"/>, with the run's items.</summary>
    public async Task<(MigrationRun Run, IReadOnlyList<MigrationItem> Items)> WaitAsync(long runId, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var run = await WaitForRunAsync(runId, timeout, cancellationToken);
        return (run, await Store.GetItemsAsync(runId, CancellationToken.None));
    }

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

            await Task.Delay(100, CancellationToken.None);
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

    /// <summary>Stops the servers (running jobs are cancelled and finish first), then the services (flushing telemetry).</summary>
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
        if (_ownsRoot)
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

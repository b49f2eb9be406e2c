using Hangfire;
using Hangfire.AspNetCore;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs;
using Ktrdr.Worker.Hosting;

namespace Ktrdr.Tests.Infrastructure;

/// <summary>
/// The worker's services on a test database with a real Hangfire <see cref="BackgroundJobServer"/> in this process:
/// runs go through the same planner, jobs, retries and fan-in as in production.
/// </summary>
internal sealed class JobServer : IAsyncDisposable
{
    private readonly BackgroundJobServer _server;

    private JobServer(ServiceProvider services, BackgroundJobServer server) => (Services, _server) = (services, server);

    public ServiceProvider Services { get; }

    public MigrationRunStore Store => Services.GetRequiredService<MigrationRunStore>();

    /// <summary>Builds the services (schema applied) and starts a server with <paramref name="workers"/> workers.</summary>
    public static async Task<JobServer> StartAsync(string connectionString, string dataDir, IReadOnlyDictionary<string, string?>? extra = null,
        Action<IServiceCollection, IConfiguration>? configure = null, int workers = 2)
    {
        var settings = new Dictionary<string, string?>
        {
            ["KTRDR_POLL_INTERVAL"] = "00:00:00.2",
            ["KTRDR_RETRY_DELAYS"] = "1",
            ["KTRDR_REPORT_DIR"] = Path.Combine(dataDir, "report"),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var services = TestServices.Build(connectionString, dataDir, settings, (s, c) =>
        {
            s.AddKtrdrJobs().AddKtrdrHangfireClient();
            configure?.Invoke(s, c);
        });
        await services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        var server = new BackgroundJobServer(new BackgroundJobServerOptions
        {
            WorkerCount = workers,
            ServerName = $"test-{Guid.NewGuid():N}",
            Activator = new AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>()),
            SchedulePollingInterval = TimeSpan.FromMilliseconds(500),
        }, services.GetRequiredService<JobStorage>());
        return new JobServer(services, server);
    }

    /// <summary>Plans and starts a run of <paramref name="dataDir"/> and waits until it is final.</summary>
    public async Task<(MigrationRun Run, IReadOnlyList<MigrationItem> Items)> MigrateAsync(string dataDir, string reportDir, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var plan = MigrationPlanner.Plan(new MigrationRequest(dataDir, reportDir, [], []));
        var runId = await Services.GetRequiredService<MigrationPlanner>().StartAsync(plan, CancellationToken.None);
        return await WaitAsync(runId, timeout, cancellationToken);
    }

    /// <summary>
    /// Waits until run <paramref name="runId"/> is final (fails the test after <paramref name="timeout"/> or when
    /// <paramref name="cancellationToken"/>, a test's [CancelAfter], fires).
    /// </summary>
    public async Task<(MigrationRun Run, IReadOnlyList<MigrationItem> Items)> WaitAsync(long runId, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? TimeSpan.FromMinutes(3));
        while (true)
        {
            var run = await Store.GetRunAsync(runId, CancellationToken.None) ?? throw new InvalidOperationException($"run {runId} is gone");
            if (run.State.IsFinal())
            {
                return (run, await Store.GetItemsAsync(runId, CancellationToken.None));
            }

            if (limit.IsCancellationRequested)
            {
                var items = await Store.GetItemsAsync(runId, CancellationToken.None);
                Assert.Fail($"run {runId} did not finish in time: state {run.State}; items: " +
                            string.Join("; ", items.Select(i => $"{i.Symbol} {i.Timeframe} {i.State} attempts {i.Attempts} {i.Error}")));
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    /// <summary>Stops the server (running jobs finish first), then the services (flushing telemetry).</summary>
    public async ValueTask DisposeAsync()
    {
        _server.SendStop();
        await _server.WaitForShutdownAsync(CancellationToken.None);
        _server.Dispose();
        await Services.DisposeAsync();
    }
}

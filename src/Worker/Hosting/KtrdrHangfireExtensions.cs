using Hangfire;
using Hangfire.PostgreSql;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ktrdr.Worker.Hosting;

internal static class KtrdrHangfireExtensions
{
    /// <summary>
    /// Hangfire on PostgreSQL (its own schema, in the data database unless <c>KTRDR_HANGFIRE_DB</c> says otherwise), the
    /// retry policy for imports, and, with a server, job processing in this process.
    /// </summary>
    public static IServiceCollection AddKtrdrHangfireClient(this IServiceCollection services) => services.AddKtrdrHangfire(server: false);

    /// <inheritdoc cref="AddKtrdrHangfireClient"/>
    public static IServiceCollection AddKtrdrHangfire(this IServiceCollection services, bool server)
    {
        services.AddOptions<HangfireOptions>().BindConfiguration("").ValidateDataAnnotations().ValidateOnStart();
        services.AddHangfire((sp, configuration) =>
        {
            var options = sp.GetRequiredService<IOptions<HangfireOptions>>().Value;
            var connectionString = StorageConnectionString(sp, options);
            configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString), new PostgreSqlStorageOptions
                {
                    SchemaName = options.Schema,
                    InvisibilityTimeout = options.InvisibilityTimeout,
                    UseSlidingInvisibilityTimeout = true,
                    DistributedLockTimeout = options.LockTimeout,
                    QueuePollInterval = options.PollInterval,
                    EnableLongPolling = options.LongPolling,
                    PrepareSchemaIfNecessary = options.PrepareSchema,
                });
            UseRetryPolicy(options, sp.GetRequiredService<IOptions<MigrationOptions>>().Value);
        });

        if (server)
        {
            services.AddHangfireServer((sp, o) =>
            {
                ConfigureServer(o, sp.GetRequiredService<IOptions<HangfireOptions>>().Value, "ktrdr");
                o.ShutdownTimeout = TimeSpan.FromSeconds(30);
            });
        }

        return services;
    }

    /// <summary>What every job server of ours shares: its worker count, a name that says which process it is, and the schedule poll.</summary>
    public static void ConfigureServer(BackgroundJobServerOptions server, HangfireOptions options, string kind)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(options);
        server.WorkerCount = options.WorkerCount;
        server.ServerName = $"{kind}-{Environment.MachineName}-{Environment.ProcessId}";
        server.SchedulePollingInterval = TimeSpan.FromSeconds(1);

        // Frequent heartbeats: the record of a killed process stops counting as a worker within seconds
        // (WorkerLiveness reads the heartbeat's age). Hangfire's own server timeout stays at its default: at 30 s, a
        // live server whose heartbeat stalled on a loaded machine was declared dead and its jobs stopped being fetched.
        server.HeartbeatInterval = WorkerLiveness.HeartbeatInterval;
    }

    /// <summary>Creates or upgrades Hangfire's schema (idempotent); for <c>db migrate</c>, run by the schema's owner.</summary>
    public static async Task InstallSchemaAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<HangfireOptions>>().Value;
        await using var connection = new NpgsqlConnection(StorageConnectionString(services, options));
        await connection.OpenAsync(cancellationToken);
        // Hangfire's installer is synchronous; keep it off the caller's thread.
        await Task.Run(() => PostgreSqlObjectsInstaller.Install(connection, options.Schema), cancellationToken);
    }

    /// <summary>Registers the recurring jobs: migrate-all (manual trigger), the nightly re-verification and the watchdog.</summary>
    public static void RegisterRecurringJobs(IServiceProvider services)
    {
        var recurring = services.GetRequiredService<IRecurringJobManager>();
        var migration = services.GetRequiredService<IOptions<MigrationOptions>>().Value;
        recurring.AddOrUpdate<MigrateAllJob>(MigrateAllJob.RecurringId, job => job.RunAsync(CancellationToken.None), Cron.Never());
        recurring.AddOrUpdate<NightlyVerifyJob>(NightlyVerifyJob.RecurringId, job => job.RunAsync(CancellationToken.None),
            migration.NightlyVerifyCron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        recurring.AddOrUpdate<RunWatchdogJob>(RunWatchdogJob.RecurringId, job => job.RunAsync(CancellationToken.None), Cron.Minutely());
    }

    private static string StorageConnectionString(IServiceProvider services, HangfireOptions options) =>
        string.IsNullOrWhiteSpace(options.ConnectionString)
            ? services.GetRequiredService<DatabaseOptions>().BuildConnectionString()
            : options.ConnectionString;

    private static void UseRetryPolicy(HangfireOptions options, MigrationOptions migration)
    {
        var delays = options.RetryDelaySeconds();
        foreach (var filter in GlobalJobFilters.Filters.Where(f => f.Instance is AutomaticRetryAttribute).ToList())
        {
            GlobalJobFilters.Filters.Remove(filter.Instance);
        }

        // Permanent failures are not retried; the item's attempts counter bounds the rest (MigrationOptions).
        GlobalJobFilters.Filters.Add(new AutomaticRetryAttribute
        {
            Attempts = migration.RetryAttempts,
            DelaysInSeconds = delays.Length == 0 ? [10] : delays,
            ExceptOn = [typeof(ImportFailedException)],
            OnAttemptsExceeded = AttemptsExceededAction.Fail,
        });
    }
}

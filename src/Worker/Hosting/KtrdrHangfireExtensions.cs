using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
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

        // This host's own storage, activator and filters, registered before AddHangfire (which only adds what is
        // missing): its defaults read JobStorage.Current and JobActivator.Current, process-wide values that the last
        // host built in this process would set for all of them.
        services.AddSingleton<JobStorage>(sp =>
        {
            // The serializer settings below must be in place before this storage's first job is read or written.
            _ = sp.GetRequiredService<IGlobalConfiguration>();
            var options = sp.GetRequiredService<IOptions<HangfireOptions>>().Value;
            var storage = new PostgreSqlStorageOptions
            {
                SchemaName = options.Schema,
                InvisibilityTimeout = options.InvisibilityTimeout,
                UseSlidingInvisibilityTimeout = true,
                DistributedLockTimeout = options.LockTimeout,
                QueuePollInterval = options.PollInterval,
                EnableLongPolling = options.LongPolling,
                PrepareSchemaIfNecessary = options.PrepareSchema,
            };
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(StorageConnectionString(sp, options), storage, null), storage);
        });
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton(sp =>
        {
            // Hangfire's filters take their logger from its process-wide log provider when they are created; resolving
            // the configuration first points it at this host's logging (another host's may be disposed by now).
            _ = sp.GetRequiredService<IGlobalConfiguration>();
            return KtrdrJobFilters.Create(sp.GetRequiredService<IOptions<HangfireOptions>>().Value, sp.GetRequiredService<IOptions<MigrationOptions>>().Value);
        });
        services.AddHangfire((_, configuration) =>
        {
            // Hangfire keeps its serializer settings process-wide (there is no per-container serializer); every host
            // sets the same values, so the order in which hosts are built does not matter.
            configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
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

    /// <summary>
    /// A job server of this host outside its hosted services (<c>migrate</c>'s in-process worker, the tests' servers): the
    /// host's storage, activator and job filters, as <c>AddHangfireServer</c> would give it.
    /// </summary>
    public static BackgroundJobServer StartServer(IServiceProvider services, BackgroundJobServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Activator ??= services.GetRequiredService<JobActivator>();
        options.FilterProvider ??= services.GetRequiredService<IJobFilterProvider>();
        options.TimeZoneResolver ??= services.GetService<ITimeZoneResolver>();
        return new BackgroundJobServer(options, services.GetRequiredService<JobStorage>());
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
}

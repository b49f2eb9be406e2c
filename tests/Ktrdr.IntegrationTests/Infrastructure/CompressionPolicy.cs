using System.Diagnostics;
using Dapper;
using Npgsql;

namespace Ktrdr.Tests.Infrastructure;

/// <summary>
/// The compression policy <c>db migrate</c> puts on <c>price_data</c>, run the way production runs it: by TimescaleDB's
/// own scheduler, in a background worker (never by calling <c>compress_chunk</c> or <c>run_job</c> from the test).
/// The policy is paused between runs, so nothing is compressed behind a test's back.
/// </summary>
internal sealed class CompressionPolicy
{
    /// <summary>
    /// What every background job of TimescaleDB 2.28.3 reports on PostgreSQL 15.20 after its work has committed:
    /// <c>job_execute</c> (tsl/src/bgw_policy/job.c) creates a portal, never starts it, and drops it at the end, which
    /// PostgreSQL 15.20's <c>PortalDrop</c> refuses for a portal still in <c>PORTAL_NEW</c>. The chunks are compressed
    /// (the transaction commits before the drop), but the run is recorded as failed. Any other error is a real failure.
    /// </summary>
    public const string KnownEngineFault = "cannot drop portal \"\" while it is being set up";

    private const string SchedulerBackend = "TimescaleDB Background Worker Scheduler";
    private readonly string _connectionString;

    private CompressionPolicy(string connectionString, int jobId) => (_connectionString, JobId) = (connectionString, jobId);

    /// <summary>The policy's TimescaleDB job.</summary>
    public int JobId { get; }

    /// <summary>
    /// Finds the policy of the database, makes sure TimescaleDB's scheduler runs for it, and pauses the policy.
    /// TimescaleDB starts one scheduler per database with the extension, and a job needs one more worker, within
    /// <c>timescaledb.max_background_workers</c> and <c>max_worker_processes</c> (128 and 144 on the cluster of
    /// <c>./ktrdr test</c>): a test run creates some 50 databases, all with the extension and kept until the run ends,
    /// so the schedulers of the databases this run created before are stopped to leave room (fixtures using this class
    /// are [NonParallelizable]: NUnit runs them when no other fixture runs).
    /// </summary>
    public static async Task<CompressionPolicy> StartAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var jobId = await connection.ExecuteScalarAsync<int?>(
            "SELECT job_id FROM timescaledb_information.jobs WHERE hypertable_name = 'price_data' AND proc_name = 'policy_compression'");
        Assert.That(jobId, Is.Not.Null, "price_data has no compression policy: db migrate did not apply the TimescaleDB features");
        var policy = new CompressionPolicy(connectionString, jobId!.Value);
        await policy.PauseAsync();
        await StopOtherSchedulersAsync(connection.Database);
        await connection.ExecuteAsync("SELECT _timescaledb_functions.start_background_workers()");
        var clock = Stopwatch.StartNew();
        while (await connection.ExecuteScalarAsync<long>(
                   "SELECT count(*) FROM pg_stat_activity WHERE backend_type = @SchedulerBackend AND datname = current_database()", new { SchedulerBackend }) == 0)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(1))
            {
                Assert.Fail($"no TimescaleDB scheduler started for database {connection.Database} within a minute; schedulers running: " +
                            await SchedulersAsync(connection) + ". Each database with the extension takes one of timescaledb.max_background_workers");
            }

            await Task.Delay(200);
        }

        return policy;
    }

    /// <summary>Stops the policy from being scheduled and waits for a run under way to end.</summary>
    public async Task PauseAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.ExecuteAsync("SELECT alter_job(@JobId, scheduled => false)", new { JobId });
        await WaitUntilAsync(connection, "an earlier run of the compression policy to end",
            "SELECT NOT EXISTS (SELECT 1 FROM timescaledb_information.job_stats WHERE job_id = @JobId AND last_run_duration IS NULL AND last_run_started_at IS NOT NULL)",
            TimeSpan.FromMinutes(2), new { JobId });
    }

    /// <summary>
    /// Schedules the policy to start now, waits until TimescaleDB's scheduler has run it in a background worker to its
    /// end, pauses it again, and returns the errors that run recorded (<see cref="KnownEngineFault"/> included).
    /// </summary>
    public async Task<IReadOnlyList<string>> RunInBackgroundAsync(TimeSpan? timeout = null)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        var before = await connection.ExecuteScalarAsync<long?>("SELECT total_runs FROM timescaledb_information.job_stats WHERE job_id = @JobId", new { JobId }) ?? 0;
        var triggered = await connection.ExecuteScalarAsync<DateTime>("SELECT now()");
        await connection.ExecuteAsync("SELECT alter_job(@JobId, scheduled => true, next_start => now())", new { JobId });
        await WaitUntilAsync(connection, $"a background run of the compression policy (TimescaleDB job {JobId}, triggered at {triggered:O}) to finish",
            "SELECT EXISTS (SELECT 1 FROM timescaledb_information.job_stats WHERE job_id = @JobId AND total_runs > @before AND last_run_duration IS NOT NULL)",
            timeout ?? TimeSpan.FromMinutes(3), new { JobId, before });
        await connection.ExecuteAsync("SELECT alter_job(@JobId, scheduled => false)", new { JobId });
        return (await connection.QueryAsync<string>(
            "SELECT coalesce(err_message, '') FROM timescaledb_information.job_errors WHERE job_id = @JobId AND start_time >= @triggered ORDER BY start_time",
            new { JobId, triggered })).ToList();
    }

    /// <summary>Chunks of <c>price_data</c>: how many are compressed, of how many.</summary>
    public async Task<(long Compressed, long Total)> ChunksAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        return await connection.QuerySingleAsync<(long, long)>(
            "SELECT count(*) FILTER (WHERE is_compressed), count(*) FROM timescaledb_information.chunks WHERE hypertable_name = 'price_data'");
    }

    /// <summary>Whether the chunk that holds <paramref name="time"/> exists and is compressed.</summary>
    public async Task<bool> IsCompressedAtAsync(DateTime time)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        return await connection.ExecuteScalarAsync<bool>(
            "SELECT coalesce(bool_and(is_compressed), false) FROM timescaledb_information.chunks WHERE hypertable_name = 'price_data' AND range_start <= @time AND range_end > @time",
            new { time });
    }

    /// <summary>Total bytes of <c>price_data</c>'s compressed chunks before and after compression.</summary>
    public async Task<(long Before, long After)> CompressedBytesAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        return await connection.QuerySingleAsync<(long, long)>(
            "SELECT coalesce(sum(before_compression_total_bytes), 0)::bigint, coalesce(sum(after_compression_total_bytes), 0)::bigint FROM hypertable_compression_stats('price_data')");
    }

    private static async Task StopOtherSchedulersAsync(string current)
    {
        var admin = await PostgresServer.AdminConnectionStringAsync();
        foreach (var name in PostgresServer.CreatedDatabases.Where(n => n != current))
        {
            var other = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false }.ConnectionString;
            await using var connection = new NpgsqlConnection(other);
            await connection.OpenAsync();
            if (await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')"))
            {
                await connection.ExecuteAsync("SELECT _timescaledb_functions.stop_background_workers()");
            }
        }
    }

    private static async Task<string> SchedulersAsync(NpgsqlConnection connection) =>
        string.Join(", ", await connection.QueryAsync<string>(
            "SELECT coalesce(datname, '?') FROM pg_stat_activity WHERE backend_type = @SchedulerBackend ORDER BY 1", new { SchedulerBackend }));

    private static async Task WaitUntilAsync(NpgsqlConnection connection, string what, string condition, TimeSpan timeout, object? parameters = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await connection.ExecuteScalarAsync<bool>(condition, parameters))
        {
            if (clock.Elapsed > timeout)
            {
                var stats = await connection.QueryAsync<(long?, string?, string?, DateTime?, DateTime?)>(
                    "SELECT total_runs, job_status, last_run_status, last_run_started_at, next_start FROM timescaledb_information.job_stats");
                Assert.Fail($"waited {timeout} for {what}; job stats (runs, status, last status, last start, next start): " +
                            string.Join("; ", stats) + "; schedulers running: " + await SchedulersAsync(connection));
            }

            await Task.Delay(200);
        }
    }
}

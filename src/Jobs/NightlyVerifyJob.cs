using Hangfire;
using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Jobs.Quality;
using Ktrdr.Jobs.Verification;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ktrdr.Jobs;

/// <summary>
/// The nightly re-verification: compares every CSV file of the data directory with the database and records the
/// result. A series that does not match is re-imported on its own (a run of its own), at most
/// <see cref="MigrationOptions.HealAttempts"/> times a week; after that it is left for a person, and the results say so.
/// Re-importing fills in missing bars; it never overwrites bars that differ (those stay reported as conflicts).
/// Then the data-quality checks of every series run and are stored (source 'nightly'): warnings, not failures.
/// Under a retention policy, bars before its cutoff are neither a mismatch (<see cref="SeriesComparer"/>) nor
/// re-imported by a heal run (it leaves them out), so the policy and the heal never undo each other night after night.
/// One runs at a time: a second one (a manual trigger during the nightly run) finds the session advisory lock taken and
/// does nothing. A session lock, unlike Hangfire's lock rows, goes with its connection when a worker or the database
/// dies, so no stale lock outlives a crash.
/// </summary>
public sealed partial class NightlyVerifyJob(
    SeriesComparer comparer,
    VerificationResultStore results,
    MigrationPlanner planner,
    QualityChecker quality,
    QualityStore qualityStore,
    ICsvCatalog catalog,
    IRetentionReader retention,
    IOptions<CsvOptions> csv,
    IOptions<MigrationOptions> migration,
    NpgsqlDataSource dataSource,
    ILogger<NightlyVerifyJob> logger)
{
    /// <summary>The advisory lock key of the nightly verification ('KTRDRNV' as a number).</summary>
    private const long LockKey = 0x4B5452_44524E56;

    public const string RecurringId = "nightly-verify";

    [JobDisplayName("Nightly re-verification of every series")]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var guard = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", guard))
        {
            take.Parameters.AddWithValue("key", LockKey);
            if (await take.ExecuteScalarAsync(cancellationToken) is not true)
            {
                LogAlreadyRunning();
                return 0;
            }
        }

        try
        {
            return await VerifyAllAsync(cancellationToken);
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", guard);
            release.Parameters.AddWithValue("key", LockKey);
            await release.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    private async Task<int> VerifyAllAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var files = catalog.ListFiles(csv.Value.DataDir);
        foreach (var (key, path) in files)
        {
            var result = await comparer.CompareAsync(key, path, cancellationToken);
            long? healRun = null;
            if (!result.Matches)
            {
                failures++;
                var healed = await results.HealCountAsync(key.Symbol, key.Timeframe, TimeSpan.FromDays(7), cancellationToken);
                if (healed < migration.Value.HealAttempts)
                {
                    // Heal runs report next to, not over, the main MIGRATION_RESULTS.md.
                    var plan = planner.Plan(new MigrationRequest(csv.Value.DataDir, Path.Combine(migration.Value.ReportDir, "heal"), [key.Timeframe], [key.Symbol]))
                        with { RetentionCutoff = (await retention.RetentionAsync(cancellationToken))?.Cutoff };
                    healRun = await planner.StartAsync(plan, cancellationToken);
                }

                LogMismatch(key.Symbol, key.Timeframe, result.Summary, healRun);
            }

            await results.AddAsync(result, healRun, cancellationToken);
        }

        // Data-quality findings of every series: stored for 'operations' and the dashboard; warnings, not failures.
        var findings = await quality.CheckAsync(files.Select(f => f.Key).ToList(), VerifyRequest.DefaultParallelism, cancellationToken);
        await qualityStore.SaveAsync(QualityStore.SourceNightly, null, findings.Series, cancellationToken);
        LogQuality(findings.Total, findings.Series.Count(s => s.Total > 0), findings.Series.Count);
        return failures;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Nightly verification: another one is running; nothing to do")]
    private partial void LogAlreadyRunning();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Nightly verification: {Symbol} {Timeframe} does not match ({Summary}); re-import run {HealRunId}")]
    private partial void LogMismatch(string symbol, string timeframe, string summary, long? healRunId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Nightly data-quality checks: {Findings} finding(s) in {SeriesWithFindings} of {Series} series")]
    private partial void LogQuality(long findings, int seriesWithFindings, int series);
}

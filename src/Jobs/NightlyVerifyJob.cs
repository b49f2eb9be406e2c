using Hangfire;
using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs.Quality;
using Ktrdr.Jobs.Verification;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ktrdr.Jobs;

/// <summary>
/// The nightly re-verification: compares every CSV file of the data directory with the database and records the
/// result. A series that does not match is re-imported on its own (a run of its own), at most
/// <see cref="MigrationOptions.HealAttempts"/> times a week; after that it is left for a person, and the results say so.
/// Re-importing fills in missing bars; it never overwrites bars that differ (those stay reported as conflicts).
/// Then the data-quality checks of every series run and are stored (source 'nightly'): warnings, not failures.
/// Under a retention policy, bars before its cutoff are neither a mismatch (<see cref="SeriesComparer"/>) nor
/// re-imported by a heal run (it leaves them out), so the policy and the heal never undo each other night after night.
/// </summary>
public sealed partial class NightlyVerifyJob(
    SeriesComparer comparer,
    VerificationResultStore results,
    MigrationPlanner planner,
    QualityChecker quality,
    QualityStore qualityStore,
    PriceDataInspector table,
    IOptions<CsvOptions> csv,
    IOptions<MigrationOptions> migration,
    ILogger<NightlyVerifyJob> logger)
{
    public const string RecurringId = "nightly-verify";

    [JobDisplayName("Nightly re-verification of every series")]
    [DisableConcurrentExecution(timeoutInSeconds: 10)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var backend = new CsvBackend(csv);
        var failures = 0;
        var keys = backend.ListSeries();
        foreach (var key in keys)
        {
            var result = await comparer.CompareAsync(key, backend.PathOf(key), cancellationToken);
            long? healRun = null;
            if (!result.Matches)
            {
                failures++;
                var healed = await results.HealCountAsync(key.Symbol, key.Timeframe, TimeSpan.FromDays(7), cancellationToken);
                if (healed < migration.Value.HealAttempts)
                {
                    // Heal runs report next to, not over, the main MIGRATION_RESULTS.md.
                    var plan = MigrationPlanner.Plan(new MigrationRequest(csv.Value.DataDir, Path.Combine(migration.Value.ReportDir, "heal"), [key.Timeframe], [key.Symbol]))
                        with { RetentionCutoff = (await table.RetentionAsync(cancellationToken))?.Cutoff };
                    healRun = await planner.StartAsync(plan, cancellationToken);
                }

                LogMismatch(key.Symbol, key.Timeframe, result.Summary, healRun);
            }

            await results.AddAsync(result, healRun, cancellationToken);
        }

        // Data-quality findings of every series: stored for 'operations' and the dashboard; warnings, not failures.
        var findings = await quality.CheckAsync(keys, VerifyRequest.DefaultParallelism, cancellationToken);
        await qualityStore.SaveAsync(QualityStore.SourceNightly, null, findings.Series, cancellationToken);
        LogQuality(findings.Total, findings.Series.Count(s => s.Total > 0), findings.Series.Count);
        return failures;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Nightly verification: {Symbol} {Timeframe} does not match ({Summary}); re-import run {HealRunId}")]
    private partial void LogMismatch(string symbol, string timeframe, string summary, long? healRunId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Nightly data-quality checks: {Findings} finding(s) in {SeriesWithFindings} of {Series} series")]
    private partial void LogQuality(long findings, int seriesWithFindings, int series);
}

using Hangfire;
using Hangfire.Server;
using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Backends.Telemetry;
using Ktrdr.Jobs.Quality;
using Ktrdr.Jobs.Reports;
using Ktrdr.Jobs.Telemetry;
using Ktrdr.Jobs.Verification;
using Microsoft.Extensions.Logging;

namespace Ktrdr.Jobs;

/// <summary>
/// The run's verification job: enqueued once by the fan-in when every import is final. Compares every imported file
/// with the database, records the result per item, writes MIGRATION_RESULTS.md and the JSON results, and finishes the
/// run. Idempotent: a retry redoes the comparison and rewrites the same report. A second verification job enqueued
/// for the same run (by the watchdog after a crash) finds the run owned and does nothing.
/// </summary>
public sealed partial class VerifyRunJob(
    MigrationRunStore store,
    RejectedRowStore rejects,
    SeriesComparer comparer,
    QualityChecker quality,
    QualityStore qualityStore,
    ILogger<VerifyRunJob> logger)
{
    private const int RejectedLinesShown = 10;

    [JobDisplayName("Verify run {0}")]
    public async Task RunAsync(long runId, PerformContext? context, CancellationToken cancellationToken)
    {
        var jobId = context?.BackgroundJob.Id ?? $"inline-{Guid.NewGuid():N}";
        using var activity = KtrdrActivity.Start(JobSpans.VerifyRun);
        activity?.SetTag(JobSpans.RunId, runId);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = runId, ["JobId"] = jobId });
        if (!await store.TryOwnVerificationAsync(runId, jobId, cancellationToken))
        {
            LogAlreadyOwned(runId);
            return;
        }

        var run = await store.GetRunAsync(runId, cancellationToken)
            ?? throw new InvalidOperationException(
                $"migration run {runId} is not in migration_runs (deleted, or the database was reset?); delete this job in the dashboard");
        // Files are compared several at a time (as many as './ktrdr verify' does by default): each comparison is one
        // client thread and one database backend, so one at a time would leave cores idle.
        var readAsUtc = new System.Collections.Concurrent.ConcurrentDictionary<long, long>();
        var succeeded = (await store.GetItemsAsync(runId, cancellationToken)).Where(i => i.State == ItemState.Succeeded).ToList();
        using (var verifyData = KtrdrActivity.Source.StartActivity(JobPlatformSpans.VerifyData))
        {
            verifyData?.SetTag(JobPlatformSpans.OperationId, $"run:{runId}");
            verifyData?.SetTag(JobSpans.Files, succeeded.Count);
            await CompareAsync(run, succeeded, readAsUtc, cancellationToken);
        }

        // Data-quality findings of the imported series: warnings, stored and reported, never a failure of the run.
        var findings = await quality.CheckAsync(succeeded.Select(i => new SeriesKey(i.Symbol, i.Timeframe)).ToList(), VerifyRequest.DefaultParallelism, cancellationToken);
        await qualityStore.SaveAsync(QualityStore.SourceRun, runId, findings.Series, cancellationToken);

        var items = await store.GetItemsAsync(runId, cancellationToken);
        var report = MigrationReportBuilder.Build(run, items, await rejects.CountsAsync(runId, cancellationToken),
            await rejects.FirstAsync(runId, RejectedLinesShown, cancellationToken), DateTime.UtcNow, readAsUtc) with { Quality = findings };
        var (markdown, _) = await MigrationReportWriter.WriteAsync(report, run.ReportDir, cancellationToken);
        await store.FinishRunAsync(runId, report.Success ? RunState.Succeeded : RunState.Partial, Path.GetFullPath(markdown), cancellationToken);
        activity?.SetTag(JobSpans.Files, report.Summary.TotalSeries);
        activity?.SetTag("ktrdr.run.status", report.Status.ToText());
        ImportAllSpan.Record(run, report, activity?.Parent?.Context ?? activity?.Context ?? default, DateTime.UtcNow);
        LogVerified(runId, report.Status.ToText(), report.Summary.Successful, report.Summary.TotalSeries, markdown);
    }

    private async Task CompareAsync(MigrationRun run, IReadOnlyList<MigrationItem> succeeded,
        System.Collections.Concurrent.ConcurrentDictionary<long, long> readAsUtc, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(succeeded, new ParallelOptions { MaxDegreeOfParallelism = VerifyRequest.DefaultParallelism, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                try
                {
                    var result = await comparer.CompareAsync(new SeriesKey(item.Symbol, item.Timeframe), item.FilePath, run.Range, item.RetentionCutoff, ct);
                    await store.SetVerificationAsync(item.Id, result.Matches, result.Summary, ct);
                    readAsUtc[item.Id] = result.ReadAsUtc;
                }
                catch (CsvFileException ex)
                {
                    await store.SetVerificationAsync(item.Id, false, $"cannot re-read the file: {ex.Message}", ct);
                }
            });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: another verification job owns it; nothing to do")]
    private partial void LogAlreadyOwned(long runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} verified: {Status}, {Successful}/{Total} files ok; report {ReportPath}")]
    private partial void LogVerified(long runId, string status, int successful, int total, string reportPath);
}

using Hangfire;
using Hangfire.Server;
using Ktrdr.Backends.Csv;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ktrdr.Jobs;

/// <summary>
/// The Hangfire job that imports one (symbol, timeframe) file of a run. Idempotent: running it twice, or again after a
/// crash half way, leaves the database as one clean run would (each batch commits with its resume point, a redelivery
/// resumes after the last committed batch, and a finished item is not imported again). Transient faults propagate so that Hangfire retries them with back-off; permanent faults and
/// the last attempt throw <see cref="ImportFailedException"/>, which is not retried.
/// </summary>
[RequeueAfterFailureFilter]
public sealed partial class ImportFileJob(
    MigrationRunStore store,
    SeriesImporter importer,
    RunCompletion completion,
    IOptions<MigrationOptions> options,
    ILogger<ImportFileJob> logger)
{
    /// <summary>Enqueues the import job of <paramref name="item"/> (its arguments are ids, not data).</summary>
    /// <returns>The Hangfire job id.</returns>
    public static string Enqueue(IBackgroundJobClient jobs, MigrationItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return jobs.Enqueue<ImportFileJob>(job => job.RunAsync(item.Id, item.Symbol, item.Timeframe, null, CancellationToken.None));
    }

    /// <summary>Imports item <paramref name="itemId"/>; symbol and timeframe are there for the dashboard's job name.</summary>
    [JobDisplayName("Import {1} {2} (item {0})")]
    public async Task RunAsync(long itemId, string symbol, string timeframe, PerformContext? context, CancellationToken cancellationToken)
    {
        var jobId = context?.BackgroundJob.Id;
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["ItemId"] = itemId, ["JobId"] = jobId, ["Symbol"] = symbol, ["Timeframe"] = timeframe,
        });
        var item = await store.GetItemAsync(itemId, cancellationToken)
            ?? throw new ImportFailedException($"migration item {itemId} ({symbol} {timeframe}) does not exist; was its run deleted?");
        using var runScope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = item.RunId });
        if (item.State == ItemState.Failed && RequeuedAfterFailure(context) && await store.ReopenFailedItemAsync(item.Id, cancellationToken))
        {
            LogReopened(item.Symbol, item.Timeframe, item.RunId);
            item = item with { State = ItemState.Enqueued };
        }

        if (!item.IsFinal && jobId is not null && !await store.TryClaimJobAsync(item.Id, jobId, cancellationToken))
        {
            // Enqueued by a planner whose database failed before it could record this job; the item's recorded job imports it.
            LogSurplus(item.Symbol, item.Timeframe, item.RunId, item.JobId);
            return;
        }

        if (!item.IsFinal)
        {
            await ImportAsync(item, jobId, cancellationToken);
        }

        await completion.ItemFinishedAsync(item.RunId, cancellationToken);
    }

    private async Task ImportAsync(MigrationItem item, string? jobId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var attempt = await store.BeginAttemptAsync(item.Id, jobId, cancellationToken);
        if (attempt > settings.MaxAttempts)
        {
            // Attempts that never reported back: the worker died on this file each time. Stop, so the run can finish.
            var message = $"{item.FilePath}: gave up after {attempt - 1} attempts that did not finish (the worker stopped or crashed each time); " +
                "find the crash in the worker's log, then retry the job from the dashboard (the limit is KTRDR_IMPORT_MAX_ATTEMPTS)";
            await store.FailItemAsync(item.Id, message, final: true, cancellationToken);
            await completion.ItemFinishedAsync(item.RunId, cancellationToken);
            throw new ImportFailedException(message);
        }

        LogStarting(item.Symbol, item.Timeframe, item.RunId, attempt);
        try
        {
            var outcome = await importer.ImportAsync(item, rows => store.ReportProgressAsync(item.Id, rows, cancellationToken), cancellationToken);
            await store.CompleteItemAsync(item.Id, outcome, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown: Hangfire requeues the job; the batch under way rolled back, and the next attempt resumes after the last committed one.
            throw;
        }
        catch (Exception ex) when (ex is not ImportFailedException)
        {
            // The job's error boundary: record what happened on the item, then let Hangfire retry or fail the job.
            var permanent = ImportFailures.IsPermanent(ex);
            var final = permanent || attempt > settings.RetryAttempts || attempt >= settings.MaxAttempts;
            var message = ImportFailures.Describe(item.FilePath, ex, attempt);
            await store.FailItemAsync(item.Id, message, final, CancellationToken.None);
            if (permanent)
            {
                // The message says all there is to say; a stack trace of a bad file is noise.
                LogFailedPermanently(item.Symbol, item.Timeframe, item.RunId, message);
            }
            else
            {
                LogFailed(ex, item.Symbol, item.Timeframe, item.RunId, attempt, final);
            }

            if (!final)
            {
                throw;
            }

            await completion.ItemFinishedAsync(item.RunId, CancellationToken.None);
            throw new ImportFailedException(message, ex);
        }
    }

    /// <summary>
    /// Whether this run of the job follows a failure that a person undid (the dashboard's "Requeue"), as marked by
    /// <see cref="RequeueAfterFailureFilter"/>; read from the parameters fetched with the job (no query).
    /// </summary>
    private static bool RequeuedAfterFailure(PerformContext? context) =>
        context?.GetJobParameter<bool>(RequeueAfterFailureFilter.ParameterName, allowStale: true) == true;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Symbol} {Timeframe} of run {RunId} was requeued after failing: importing it again")]
    private partial void LogReopened(string symbol, string timeframe, long runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import job for {Symbol} {Timeframe} of run {RunId} is surplus (the item's job is {ItemJobId}): nothing to do")]
    private partial void LogSurplus(string symbol, string timeframe, long runId, string? itemJobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Importing {Symbol} {Timeframe} (run {RunId}, attempt {Attempt})")]
    private partial void LogStarting(string symbol, string timeframe, long runId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import of {Symbol} {Timeframe} failed for good (run {RunId}): {Error}")]
    private partial void LogFailedPermanently(string symbol, string timeframe, long runId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import of {Symbol} {Timeframe} failed (run {RunId}, attempt {Attempt}, final {Final})")]
    private partial void LogFailed(Exception exception, string symbol, string timeframe, long runId, int attempt, bool final);
}

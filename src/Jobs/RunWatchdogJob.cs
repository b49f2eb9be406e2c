using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Logging;

namespace Ktrdr.Jobs;

/// <summary>
/// Recurring safety net that brings every run to a final state; runs every minute, idempotent. It
/// <list type="bullet">
/// <item>enqueues the import of items left without a job (the planner died while enqueuing: kill -9 of <c>migrate</c>);</item>
/// <item>enqueues again the import of items whose job expired from the storage;</item>
/// <item>fails items whose job was deleted, or ended without recording the item (the failure could not be written);</item>
/// <item>completes runs whose last import finished but whose worker died before it could claim the verification;</item>
/// <item>re-enqueues verification for runs claimed by a worker that died before enqueuing.</item>
/// </list>
/// </summary>
public sealed partial class RunWatchdogJob(
    MigrationRunStore store,
    RunLifecycleStore lifecycle,
    RunCompletion completion,
    IBackgroundJobClient jobs,
    JobStorage storage,
    ILogger<RunWatchdogJob> logger)
{
    public const string RecurringId = "run-watchdog";

    /// <summary>
    /// How old a run must be before its items' jobs are checked: longer than any planner takes to enqueue a run, so a
    /// planner still at work is never mistaken for a dead one.
    /// </summary>
    public static readonly TimeSpan EnqueueGrace = TimeSpan.FromMinutes(10);

    /// <summary>Job states after which the job never runs again by itself, so an item still unfinished would wait forever.</summary>
    private static readonly string[] EndedStates = [DeletedState.StateName, SucceededState.StateName, FailedState.StateName];

    /// <summary>Checks every unfinished run once.</summary>
    [JobDisplayName("Run watchdog")]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await RepairItemsAsync(cancellationToken);
        foreach (var runId in await store.ImportingRunsAsync(cancellationToken))
        {
            await completion.ItemFinishedAsync(runId, cancellationToken);
        }

        foreach (var runId in await store.StrandedRunsAsync(TimeSpan.FromMinutes(2), cancellationToken))
        {
            completion.EnqueueVerification(runId);
        }
    }

    private async Task RepairItemsAsync(CancellationToken cancellationToken)
    {
        var items = await lifecycle.UnfinishedItemsAsync(EnqueueGrace, cancellationToken);
        if (items.Count == 0)
        {
            return;
        }

        using var connection = storage.GetConnection();
        foreach (var item in items)
        {
            if (item.JobId is null)
            {
                await EnqueueAsync(item, "it has no import job (the planner stopped while enqueuing)", cancellationToken);
                continue;
            }

            var job = connection.GetJobData(item.JobId);
            if (job is null)
            {
                await EnqueueAsync(item, $"its import job {item.JobId} is no longer in the job storage", cancellationToken);
            }
            else if (EndedStates.Contains(job.State, StringComparer.Ordinal))
            {
                var error = $"{item.FilePath}: its import job {item.JobId} is {job.State} but the file was never recorded as finished; " +
                    $"see job {item.JobId} in the dashboard or './ktrdr operations status job:{item.JobId}', then run the migration again";
                await store.FailItemAsync(item.Id, error, final: true, cancellationToken);
                LogFailedItem(item.RunId, item.Symbol, item.Timeframe, item.JobId, job.State);
            }
        }
    }

    private async Task EnqueueAsync(MigrationItem item, string why, CancellationToken cancellationToken)
    {
        // Released first: the new job claims the item when it starts (MigrationRunStore.TryClaimJobAsync), and would
        // find it still held by the lost one.
        if (item.JobId is not null && !await lifecycle.TryReplaceJobAsync(item.Id, item.JobId, null, cancellationToken))
        {
            return;
        }

        var jobId = ImportFileJob.Enqueue(jobs, item);
        if (!await store.TryClaimJobAsync(item.Id, jobId, cancellationToken))
        {
            // The item got its job meanwhile: ours would import it twice over.
            jobs.Delete(jobId);
            return;
        }

        LogEnqueued(item.RunId, item.Symbol, item.Timeframe, why, jobId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: {Symbol} {Timeframe} was stranded because {Reason}; import job {ImportJobId} enqueued")]
    private partial void LogEnqueued(long runId, string symbol, string timeframe, string reason, string importJobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: {Symbol} {Timeframe} failed: its import job {ImportJobId} is {JobState} without a recorded outcome")]
    private partial void LogFailedItem(long runId, string symbol, string timeframe, string importJobId, string? jobState);
}

using Hangfire;

namespace Ktrdr.Jobs;

/// <summary>
/// Recurring safety net for the fan-in: completes runs whose last import finished but whose worker died before it
/// could claim the verification, and re-enqueues verification for runs claimed by a worker that died before enqueuing.
/// Idempotent and cheap; runs every minute.
/// </summary>
public sealed class RunWatchdogJob(MigrationRunStore store, RunCompletion completion)
{
    public const string RecurringId = "run-watchdog";

    [JobDisplayName("Run watchdog")]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var runId in await store.ImportingRunsAsync(cancellationToken))
        {
            await completion.ItemFinishedAsync(runId, cancellationToken);
        }

        foreach (var runId in await store.StrandedRunsAsync(TimeSpan.FromMinutes(2), cancellationToken))
        {
            completion.EnqueueVerification(runId);
        }
    }
}

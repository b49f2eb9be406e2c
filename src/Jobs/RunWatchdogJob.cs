using Dapper;
using Hangfire;
using Npgsql;

namespace Ktrdr.Jobs;

/// <summary>
/// Recurring safety net for the fan-in: completes runs whose last import finished but whose worker died before it
/// could claim the verification, and re-enqueues verification for runs claimed by a worker that died before enqueuing.
/// Idempotent and cheap; runs every minute.
/// </summary>
public sealed class RunWatchdogJob(NpgsqlDataSource dataSource, MigrationRunStore store, RunCompletion completion, IBackgroundJobClient jobs)
{
    public const string RecurringId = "run-watchdog";

    [JobDisplayName("Run watchdog")]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        List<long> importing;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            importing = (await connection.QueryAsync<long>(new CommandDefinition(
                "SELECT id FROM migration_runs WHERE state = 'importing'", cancellationToken: cancellationToken))).ToList();
        }

        foreach (var runId in importing)
        {
            await completion.ItemFinishedAsync(runId, cancellationToken);
        }

        foreach (var runId in await store.StrandedRunsAsync(TimeSpan.FromMinutes(2), cancellationToken))
        {
            jobs.Enqueue<VerifyRunJob>(job => job.RunAsync(runId, null, CancellationToken.None));
        }
    }
}

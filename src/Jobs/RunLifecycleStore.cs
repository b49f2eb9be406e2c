using Dapper;
using Npgsql;

namespace Ktrdr.Jobs;

/// <summary>
/// The statements that bring a run to a final state when its normal course broke off: items left without a job by a
/// planner that died while enqueuing, and runs a person cancels.
/// </summary>
public sealed class RunLifecycleStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Items not yet final of runs still importing that started more than <paramref name="olderThan"/> ago: the
    /// candidates the watchdog checks for a missing, deleted or ended job.
    /// </summary>
    public async Task<IReadOnlyList<MigrationItem>> UnfinishedItemsAsync(TimeSpan olderThan, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<MigrationItemRow>(new CommandDefinition("""
            SELECT i.id AS Id, i.run_id AS RunId, i.symbol AS Symbol, i.timeframe AS Timeframe, i.file_path AS FilePath,
                   i.state AS State, i.job_id AS JobId
            FROM migration_items i JOIN migration_runs r ON r.id = i.run_id
            WHERE r.state = @importing AND r.started_at < now() - @olderThan AND i.state NOT IN (@succeeded, @failed)
            ORDER BY i.id
            """, new { importing = RunState.Importing.ToText(), olderThan, succeeded = ItemState.Succeeded.ToText(), failed = ItemState.Failed.ToText() },
            cancellationToken: cancellationToken))).Select(r => r.ToItem()).ToList();
    }

    /// <summary>
    /// Records <paramref name="jobId"/> (null: none) as the item's job in place of <paramref name="previousJobId"/> (null: none), unless
    /// the item got another job meanwhile (its planner was only slow, not dead) or became final.
    /// </summary>
    /// <returns>False when the item's job changed or it is final: the caller's job is surplus.</returns>
    public async Task<bool> TryReplaceJobAsync(long itemId, string? previousJobId, string? jobId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE migration_items SET job_id = @jobId
            WHERE id = @itemId AND job_id IS NOT DISTINCT FROM @previousJobId AND state NOT IN (@succeeded, @failed)
            """, new { itemId, previousJobId, jobId, succeeded = ItemState.Succeeded.ToText(), failed = ItemState.Failed.ToText() },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// Cancels an importing run in one transaction: the run becomes <see cref="RunState.Cancelled"/> with
    /// <paramref name="reason"/> as its error, and every item not yet final fails with the error <c>cancelled</c>.
    /// </summary>
    /// <returns>
    /// The job ids of the items just failed (their Hangfire jobs are to be deleted), or null when the run is not
    /// importing (missing, already verifying, or final).
    /// </returns>
    public async Task<IReadOnlyList<string>?> CancelAsync(long runId, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var cancelled = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
            UPDATE migration_runs SET state = @cancelled, finished_at = now(), error = @reason
            WHERE id = @runId AND state = @importing RETURNING id
            """, new { runId, reason = StoredText.Escape(reason), cancelled = RunState.Cancelled.ToText(), importing = RunState.Importing.ToText() },
            transaction, cancellationToken: cancellationToken));
        if (cancelled is null)
        {
            return null;
        }

        var jobs = (await connection.QueryAsync<string?>(new CommandDefinition("""
            UPDATE migration_items SET state = @failed, error = @error, finished_at = now()
            WHERE run_id = @runId AND state NOT IN (@succeeded, @failed)
            RETURNING job_id
            """, new { runId, error = CancelledError, succeeded = ItemState.Succeeded.ToText(), failed = ItemState.Failed.ToText() },
            transaction, cancellationToken: cancellationToken))).OfType<string>().ToList();
        await transaction.CommitAsync(cancellationToken);
        return jobs;
    }

    /// <summary>The error of an item failed because its run was cancelled.</summary>
    public const string CancelledError = "cancelled";
}

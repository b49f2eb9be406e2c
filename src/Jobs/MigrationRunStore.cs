using Dapper;
using Npgsql;

namespace Ktrdr.Jobs;

/// <summary>
/// Runs and their items in the database: the source of truth for progress, outcomes and the fan-in. Every method is a
/// single statement (or one transaction), so concurrent workers never see half an update.
/// </summary>
public sealed class MigrationRunStore(NpgsqlDataSource dataSource)
{
    private const string ItemColumns = """
        id AS Id, run_id AS RunId, symbol AS Symbol, timeframe AS Timeframe, file_path AS FilePath, file_size AS FileSize,
        state AS State, job_id AS JobId, attempts AS Attempts, rows_done AS RowsDone, rows_read AS RowsRead, inserted AS Inserted,
        already_present AS AlreadyPresent, conflicting AS Conflicting, rejected AS Rejected, normalized AS Normalized,
        first_time AS FirstTime, last_time AS LastTime, started_at AS StartedAt, finished_at AS FinishedAt, error AS Error,
        verified AS Verified, verify_message AS VerifyMessage, checkpoint::text AS Checkpoint,
        outside_range AS OutsideRange,
        (SELECT r.range_start FROM migration_runs r WHERE r.id = run_id) AS RangeStart,
        (SELECT r.range_end FROM migration_runs r WHERE r.id = run_id) AS RangeEnd,
        retention_cutoff AS RetentionCutoff, older_than_retention AS OlderThanRetention, older_first_time AS OlderFirstTime,
        older_last_time AS OlderLastTime
        """;

    private const string RunColumns = """
        id AS Id, started_at AS StartedAt, finished_at AS FinishedAt, data_dir AS DataDir, report_dir AS ReportDir,
        timeframes AS Timeframes, symbols AS Symbols, state AS State, verification_enqueued AS VerificationEnqueued,
        verification_job_id AS VerificationJobId, report_path AS ReportPath, error AS Error,
        range_start AS RangeStart, range_end AS RangeEnd
        """;

    /// <summary>Creates a run of whole files with one item per file, all in one transaction.</summary>
    public Task<(long RunId, IReadOnlyList<MigrationItem> Items)> CreateRunAsync(string dataDir, string reportDir,
        IReadOnlyList<string> timeframes, IReadOnlyList<string> symbols, IReadOnlyList<(string Symbol, string Timeframe, string Path, long Size)> files,
        CancellationToken cancellationToken) =>
        CreateRunAsync(dataDir, reportDir, timeframes, symbols, files, ImportRange.All, null, cancellationToken);

    /// <summary>Creates a run with one item per file, all in one transaction; its items import only <paramref name="range"/>.</summary>
    public Task<(long RunId, IReadOnlyList<MigrationItem> Items)> CreateRunAsync(string dataDir, string reportDir,
        IReadOnlyList<string> timeframes, IReadOnlyList<string> symbols, IReadOnlyList<(string Symbol, string Timeframe, string Path, long Size)> files,
        ImportRange range, CancellationToken cancellationToken) =>
        CreateRunAsync(dataDir, reportDir, timeframes, symbols, files, range, null, cancellationToken);

    /// <summary>
    /// Creates a run with one item per file, all in one transaction; its items import only <paramref name="range"/>.
    /// With <paramref name="retentionCutoff"/>, every item leaves out the bars before it (counted as older than retention).
    /// </summary>
    public async Task<(long RunId, IReadOnlyList<MigrationItem> Items)> CreateRunAsync(string dataDir, string reportDir,
        IReadOnlyList<string> timeframes, IReadOnlyList<string> symbols, IReadOnlyList<(string Symbol, string Timeframe, string Path, long Size)> files,
        ImportRange range, DateTime? retentionCutoff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var runId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO migration_runs (data_dir, report_dir, timeframes, symbols, state, range_start, range_end)
            VALUES (@dataDir, @reportDir, @timeframes, @symbols, @state, @start, @end) RETURNING id
            """,
            new
            {
                dataDir, reportDir, timeframes = timeframes.ToArray(), symbols = symbols.ToArray(), state = files.Count == 0 ? RunState.Verifying.ToText() : RunState.Importing.ToText(),
                start = range.Start, end = range.End,
            },
            transaction, cancellationToken: cancellationToken));
        var items = (await connection.QueryAsync<MigrationItemRow>(new CommandDefinition($"""
            INSERT INTO migration_items (run_id, symbol, timeframe, file_path, file_size)
            SELECT @runId, f.symbol, f.timeframe, f.path, f.size
            FROM unnest(@symbols::text[], @timeframes::text[], @paths::text[], @sizes::bigint[]) AS f(symbol, timeframe, path, size)
            RETURNING {ItemColumns}
            """,
            new
            {
                runId,
                symbols = files.Select(f => f.Symbol).ToArray(),
                timeframes = files.Select(f => f.Timeframe).ToArray(),
                paths = files.Select(f => f.Path).ToArray(),
                sizes = files.Select(f => f.Size).ToArray(),
            }, transaction, cancellationToken: cancellationToken))).Select(r => r.ToItem()).ToList();
        if (retentionCutoff is { } cutoff)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE migration_items SET retention_cutoff = @cutoff WHERE run_id = @runId", new { runId, cutoff }, transaction, cancellationToken: cancellationToken));
            items = items.Select(i => i with { RetentionCutoff = cutoff }).ToList();
        }

        await transaction.CommitAsync(cancellationToken);
        return (runId, items);
    }

    /// <summary>
    /// Makes <paramref name="jobId"/> the item's import job unless it already has another: whichever of the planner
    /// (after enqueuing) and the job itself (when it starts) comes first records it. A job enqueued by a planner whose
    /// database failed before it could record it is then surplus, and does nothing.
    /// </summary>
    /// <returns>True when <paramref name="jobId"/> is (now) the item's job.</returns>
    public async Task<bool> TryClaimJobAsync(long itemId, string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE migration_items SET job_id = @jobId WHERE id = @itemId AND (job_id IS NULL OR job_id = @jobId)",
            new { itemId, jobId }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<MigrationRun?> GetRunAsync(long runId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<MigrationRunRow>(new CommandDefinition(
            $"SELECT {RunColumns} FROM migration_runs WHERE id = @runId", new { runId }, cancellationToken: cancellationToken)))?.ToRun();
    }

    public async Task<IReadOnlyList<MigrationRun>> ListRunsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<MigrationRunRow>(new CommandDefinition(
            $"SELECT {RunColumns} FROM migration_runs ORDER BY id DESC LIMIT @limit", new { limit }, cancellationToken: cancellationToken))).Select(r => r.ToRun()).ToList();
    }

    public async Task<MigrationItem?> GetItemAsync(long itemId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<MigrationItemRow>(new CommandDefinition(
            $"SELECT {ItemColumns} FROM migration_items WHERE id = @itemId", new { itemId }, cancellationToken: cancellationToken)))?.ToItem();
    }

    public async Task<IReadOnlyList<MigrationItem>> GetItemsAsync(long runId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<MigrationItemRow>(new CommandDefinition(
            $"SELECT {ItemColumns} FROM migration_items WHERE run_id = @runId ORDER BY symbol, timeframe", new { runId }, cancellationToken: cancellationToken))).Select(r => r.ToItem()).ToList();
    }

    /// <summary>Counts an attempt (also one that a dying worker never finishes) and marks the item processing.</summary>
    /// <returns>The attempt number, 1 for the first.</returns>
    public async Task<int> BeginAttemptAsync(long itemId, string? jobId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
            UPDATE migration_items SET attempts = attempts + 1, state = @processing,
                rows_done = coalesce((checkpoint->>'Read')::bigint, 0),
                job_id = coalesce(@jobId, job_id), started_at = coalesce(started_at, now()), error = NULL
            WHERE id = @itemId RETURNING attempts
            """, new { itemId, jobId, processing = ItemState.Processing.ToText() }, cancellationToken: cancellationToken));
    }

    public async Task ReportProgressAsync(long itemId, long rowsDone, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE migration_items SET rows_done = @rowsDone WHERE id = @itemId", new { itemId, rowsDone }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Records <paramref name="checkpoint"/> on <paramref name="connection"/>, inside the transaction of the batch it
    /// describes, so that both commit or neither.
    /// </summary>
    public static async Task SaveCheckpointAsync(NpgsqlConnection connection, long itemId, ImportCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE migration_items SET checkpoint = @json::jsonb, rows_done = @Read WHERE id = @itemId",
            new { itemId, json = System.Text.Json.JsonSerializer.Serialize(checkpoint), checkpoint.Read }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Records a finished import. An item already failed for good (its run cancelled while the import ran) stays
    /// failed: the person's decision wins over a late result.
    /// </summary>
    public async Task CompleteItemAsync(long itemId, ImportOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var counts = outcome.Counts;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE migration_items SET state = @succeeded, finished_at = now(), rows_done = @Read, rows_read = @Read,
                inserted = @Inserted, already_present = @AlreadyPresent, conflicting = @Conflicting, rejected = @Rejected,
                normalized = @Normalized, first_time = @FirstTime, last_time = @LastTime, error = NULL, outside_range = @OutsideRange,
                older_than_retention = @OlderThanRetention, older_first_time = @OlderFirstTime, older_last_time = @OlderLastTime
            WHERE id = @itemId AND state <> @failed
            """, new { itemId, succeeded = ItemState.Succeeded.ToText(), failed = ItemState.Failed.ToText(), counts.Read, counts.Inserted, counts.AlreadyPresent, counts.Conflicting,
                counts.Rejected, counts.Normalized, outcome.FirstTime, outcome.LastTime, counts.OutsideRange, counts.OlderThanRetention, outcome.OlderFirstTime, outcome.OlderLastTime },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Records a failure; <paramref name="final"/> makes the item failed for good (no more retries). An item already
    /// failed keeps its error (a cancelled item stays "cancelled"). The error is stored escaped (<see cref="StoredText"/>).
    /// </summary>
    public async Task FailItemAsync(long itemId, string error, bool final, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE migration_items SET error = @error,
                state = CASE WHEN @final THEN @failed ELSE state END,
                finished_at = CASE WHEN @final THEN now() ELSE finished_at END
            WHERE id = @itemId AND state <> @failed
            """, new { itemId, error = StoredText.Escape(error), final, failed = ItemState.Failed.ToText() }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The fan-in: true for exactly one caller, the first to see every item of the run final. Safe when several workers
    /// finish at the same instant (the row lock serialises them and the flag is checked again after the wait).
    /// </summary>
    public async Task<bool> TryClaimVerificationAsync(long runId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var claimed = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
            UPDATE migration_runs SET verification_enqueued = true, state = @verifying
            WHERE id = @runId AND NOT verification_enqueued AND state <> @cancelled
              AND NOT EXISTS (SELECT 1 FROM migration_items WHERE run_id = @runId AND state NOT IN (@succeeded, @failed))
            RETURNING id
            """, new { runId, verifying = RunState.Verifying.ToText(), cancelled = RunState.Cancelled.ToText(), succeeded = ItemState.Succeeded.ToText(), failed = ItemState.Failed.ToText() }, cancellationToken: cancellationToken));
        return claimed is not null;
    }

    /// <summary>Records the verification job; returns false when another verification job already owns the run.</summary>
    public async Task<bool> TryOwnVerificationAsync(long runId, string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var owned = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
            UPDATE migration_runs SET verification_job_id = @jobId
            WHERE id = @runId AND (verification_job_id IS NULL OR verification_job_id = @jobId)
            RETURNING id
            """, new { runId, jobId }, cancellationToken: cancellationToken));
        return owned is not null;
    }

    /// <summary>Runs still importing (some may have every item final, their last claimer dead).</summary>
    public async Task<IReadOnlyList<long>> ImportingRunsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM migration_runs WHERE state = @state", new { state = RunState.Importing.ToText() }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Runs not yet final (importing or verifying), oldest first.</summary>
    public async Task<IReadOnlyList<long>> UnfinishedRunsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM migration_runs WHERE state IN (@importing, @verifying) ORDER BY id",
            new { importing = RunState.Importing.ToText(), verifying = RunState.Verifying.ToText() }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Runs whose fan-in was claimed but whose verification job never started (the claimer died in between).</summary>
    public async Task<IReadOnlyList<long>> StrandedRunsAsync(TimeSpan olderThan, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<long>(new CommandDefinition("""
            SELECT r.id FROM migration_runs r
            WHERE r.state = @verifying AND r.verification_job_id IS NULL
              AND coalesce((SELECT max(finished_at) FROM migration_items i WHERE i.run_id = r.id), r.started_at) < now() - @olderThan
            """, new { olderThan, verifying = RunState.Verifying.ToText() }, cancellationToken: cancellationToken))).ToList();
    }

    public async Task SetVerificationAsync(long itemId, bool verified, string message, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE migration_items SET verified = @verified, verify_message = @message WHERE id = @itemId",
            new { itemId, verified, message = StoredText.Escape(message) }, cancellationToken: cancellationToken));
    }

    /// <summary>Closes the run as <paramref name="state"/> with its report.</summary>
    public async Task FinishRunAsync(long runId, RunState state, string reportPath, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE migration_runs SET state = @state, finished_at = now(), report_path = @reportPath WHERE id = @runId",
            new { runId, state = state.ToText(), reportPath }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Reopens a failed item for another try (a person requeued its job): the item starts over with no attempts, and the
    /// run goes back to importing so that its verification and report are redone when the item is final again.
    /// </summary>
    /// <returns>False when the item is not failed (nothing to reopen).</returns>
    public async Task<bool> ReopenFailedItemAsync(long itemId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var runId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
            WITH item AS (
                UPDATE migration_items SET state = @enqueued, attempts = 0, rows_done = 0, error = NULL, finished_at = NULL,
                    verified = NULL, verify_message = NULL, checkpoint = NULL
                WHERE id = @itemId AND state = @failed
                RETURNING run_id)
            UPDATE migration_runs SET state = @importing, verification_enqueued = false, verification_job_id = NULL, finished_at = NULL
            WHERE id = (SELECT run_id FROM item)
            RETURNING id
            """, new { itemId, enqueued = ItemState.Enqueued.ToText(), failed = ItemState.Failed.ToText(), importing = RunState.Importing.ToText() }, cancellationToken: cancellationToken));
        return runId is not null;
    }
}

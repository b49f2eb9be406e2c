using Dapper;
using Npgsql;

namespace Ktrdr.Jobs;

/// <summary>
/// Rejected lines in <c>rejected_rows</c>, where a user can query them. Adding is idempotent per (item, line), so a
/// retried import records each bad line once.
/// </summary>
public sealed class RejectedRowStore(NpgsqlDataSource dataSource)
{
    /// <summary>Longest raw line kept; longer lines are cut (with a marker) so one hostile line cannot bloat the table.</summary>
    public const int MaxRawLength = 2000;

    public async Task AddAsync(IReadOnlyList<RejectedRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await AddAsync(connection, rows, cancellationToken);
    }

    /// <summary>Adds <paramref name="rows"/> on <paramref name="connection"/>, within whatever transaction is open on it.</summary>
    public static async Task AddAsync(NpgsqlConnection connection, IReadOnlyList<RejectedRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO rejected_rows (item_id, line, file_path, raw_line, reason)
            SELECT * FROM unnest(@items::bigint[], @lines::bigint[], @paths::text[], @raws::text[], @reasons::text[])
            ON CONFLICT DO NOTHING
            """,
            new
            {
                items = rows.Select(r => r.ItemId).ToArray(),
                lines = rows.Select(r => r.Line).ToArray(),
                paths = rows.Select(r => StoredText.Escape(r.FilePath)).ToArray(),
                raws = rows.Select(r => StoredText.Escape(Cut(r.RawLine))).ToArray(),
                reasons = rows.Select(r => StoredText.Escape(r.Reason)).ToArray(),
            }, cancellationToken: cancellationToken));
    }

    /// <summary>Rejected line counts by item and reason for a run.</summary>
    public async Task<IReadOnlyList<(long ItemId, string Reason, long Count)>> CountsAsync(long runId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<(long, string, long)>(new CommandDefinition("""
            SELECT r.item_id, r.reason, count(*) FROM rejected_rows r JOIN migration_items i ON i.id = r.item_id
            WHERE i.run_id = @runId GROUP BY r.item_id, r.reason ORDER BY r.item_id, count(*) DESC
            """, new { runId }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>The first rejected lines of each item of a run, in line order.</summary>
    public async Task<IReadOnlyList<RejectedRow>> FirstAsync(long runId, int perItem, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<RejectedRow>(new CommandDefinition("""
            SELECT item_id AS ItemId, line AS Line, file_path AS FilePath, raw_line AS RawLine, reason AS Reason FROM (
                SELECT r.*, row_number() OVER (PARTITION BY r.item_id ORDER BY r.line) AS n
                FROM rejected_rows r JOIN migration_items i ON i.id = r.item_id WHERE i.run_id = @runId) x
            WHERE n <= @perItem ORDER BY item_id, line
            """, new { runId, perItem }, cancellationToken: cancellationToken))).ToList();
    }

    private static string Cut(string raw) => raw.Length <= MaxRawLength ? raw : raw[..MaxRawLength] + "…(cut)";
}

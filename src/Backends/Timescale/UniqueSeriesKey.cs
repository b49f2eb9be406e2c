using Dapper;
using Npgsql;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// The unique key on (symbol, timeframe, time) that a platform's <c>price_data</c> may lack: finds bars stored twice
/// (which would make creating it fail) and creates it when there are none. Imports do not need the key to be
/// idempotent; it stops other writers from storing a bar twice.
/// </summary>
public sealed class UniqueSeriesKey(NpgsqlDataSource dataSource)
{
    /// <summary>The index this class creates.</summary>
    public const string IndexName = "price_data_symbol_timeframe_time_key";

    /// <summary>Timestamps stored more than once for one series (a full scan of the table), the first <paramref name="limit"/> of them.</summary>
    /// <returns>How many (symbol, timeframe, time) are stored more than once, and the first of them in key order.</returns>
    public async Task<(long Total, IReadOnlyList<(string Symbol, string Timeframe, DateTime Time, long Copies)> First)> DuplicatesAsync(
        int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(string Symbol, string Timeframe, DateTime Time, long Copies, long Total)>(new CommandDefinition("""
            WITH d AS MATERIALIZED (
                SELECT symbol::text AS symbol, timeframe::text AS timeframe, time, count(*) AS copies
                FROM price_data GROUP BY symbol, timeframe, time HAVING count(*) > 1)
            SELECT symbol, timeframe, time, copies, count(*) OVER () FROM d ORDER BY symbol, timeframe, time LIMIT @limit
            """, new { limit }, cancellationToken: cancellationToken, commandTimeout: 0))).ToList();
        return (rows.Count == 0 ? 0 : rows[0].Total,
            rows.Select(r => (r.Symbol, r.Timeframe, DateTime.SpecifyKind(r.Time, DateTimeKind.Utc), r.Copies)).ToList());
    }

    /// <summary>Creates the unique index (idempotent).</summary>
    /// <exception cref="PostgresException">23505 when a bar is stored twice (check <see cref="DuplicatesAsync"/> first).</exception>
    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"CREATE UNIQUE INDEX IF NOT EXISTS {IndexName} ON price_data (symbol, timeframe, time)",
            cancellationToken: cancellationToken, commandTimeout: 0));
    }
}

using Dapper;
using Npgsql;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Saves bars in any order, repeats included: they are copied into a temporary table, those not stored yet inserted
/// (<c>NOT EXISTS</c>, so no unique key is needed), and the rest compared with what is stored. Slower than the sorted walk of
/// <see cref="SeriesBatchWriter"/>, which it takes over from for a batch (or the rest of a stream) that is not in increasing time order.
/// </summary>
internal static class StagedSeriesMerge
{
    /// <summary>Merges <paramref name="bars"/> within the transaction open on <paramref name="connection"/>; commits nothing.</summary>
    public static Task<SaveResult> MergeAsync(NpgsqlConnection connection, SeriesKey key, IReadOnlyList<Bar> bars, CancellationToken cancellationToken) =>
        MergeAsync(connection, key, bars.ToAsyncEnumerable(), cancellationToken);

    /// <summary>Merges <paramref name="bars"/> within the transaction open on <paramref name="connection"/>; commits nothing.</summary>
    public static async Task<SaveResult> MergeAsync(NpgsqlConnection connection, SeriesKey key, IAsyncEnumerable<Bar> bars,
        CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "CREATE TEMP TABLE price_stage (time timestamptz, open float8, high float8, low float8, close float8, volume float8) ON COMMIT DROP",
            cancellationToken: cancellationToken));
        var staged = await BarCopyWriter.CopyAsync(connection, "COPY price_stage (time, open, high, low, close, volume) FROM STDIN (FORMAT BINARY)",
            null, bars, cancellationToken);

        // Statistics of the staged rows: without them the planner guesses, and the joins below can take minutes.
        await connection.ExecuteAsync(new CommandDefinition("ANALYZE price_stage", cancellationToken: cancellationToken));

        // The first occurrence of a timestamp wins, as it would in a file read top to bottom. Stored bars are left out
        // by NOT EXISTS, not by ON CONFLICT: a platform's price_data may have no unique key, and ON CONFLICT without
        // one inserts everything. The series' advisory lock (held by the caller) keeps other writers out meanwhile.
        var inserted = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            WITH ins AS (
                INSERT INTO price_data (time, symbol, timeframe, open, high, low, close, volume)
                SELECT DISTINCT ON (time) time, @Symbol, @Timeframe, open, high, low, close, volume
                FROM price_stage s
                WHERE NOT EXISTS (SELECT 1 FROM price_data p WHERE p.symbol = @Symbol AND p.timeframe = @Timeframe AND p.time = s.time)
                ORDER BY time, ctid
                ON CONFLICT DO NOTHING
                RETURNING 1)
            SELECT count(*) FROM ins
            """, key, cancellationToken: cancellationToken));

        // Materialized, so that the LIMIT cannot turn the join into a nested loop that looks for conflicts which are not there.
        var conflicts = (await connection.QueryAsync<(DateTime Time, double Open, double High, double Low, double Close, double Volume, long Total)>(
            new CommandDefinition("""
                WITH c AS MATERIALIZED (
                    SELECT s.time, s.open, s.high, s.low, s.close, s.volume
                    FROM price_stage s JOIN price_data p ON p.symbol = @Symbol AND p.timeframe = @Timeframe AND p.time = s.time
                    WHERE (p.open, p.high, p.low, p.close, p.volume) IS DISTINCT FROM (s.open, s.high, s.low, s.close, s.volume))
                SELECT time, open, high, low, close, volume, count(*) OVER () FROM c ORDER BY time LIMIT @ConflictSample
                """, new { key.Symbol, key.Timeframe, SaveResult.ConflictSample }, cancellationToken: cancellationToken))).ToList();
        var conflicting = conflicts.Count == 0 ? 0 : conflicts[0].Total;
        return new SaveResult(inserted, staged - inserted - conflicting, conflicting,
            conflicts.Select(c => new Bar(DateTime.SpecifyKind(c.Time, DateTimeKind.Utc), c.Open, c.High, c.Low, c.Close, c.Volume)).ToList());
    }
}

using System.Data;
using System.Runtime.CompilerServices;
using Dapper;
using Ktrdr.Backends.Telemetry;
using Npgsql;
using NpgsqlTypes;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Bars in PostgreSQL/TimescaleDB (<c>price_data</c>). Writes use binary COPY; reads stream in time order through the
/// primary key. All SQL is parameterised.
/// </summary>
public sealed class TimescaleBackend(NpgsqlDataSource dataSource) : IDataBackend
{
    private const int ConflictSample = 10;

    public string BackendType => "timescaledb";

    /// <inheritdoc />
    /// <remarks>
    /// A series with no bars yet is written by one binary COPY straight into <c>price_data</c> in one transaction (a crash
    /// leaves nothing behind). Otherwise, or when the input repeats a timestamp, bars are staged and merged with
    /// <c>ON CONFLICT DO NOTHING</c>, then compared. <paramref name="bars"/> may be enumerated a second time in that case.
    /// </remarks>
    public async Task<SaveResult> SaveAsync(SeriesKey key, IAsyncEnumerable<Bar> bars, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bars);
        ArgumentException.ThrowIfNullOrEmpty(key.Symbol);
        ArgumentException.ThrowIfNullOrEmpty(key.Timeframe);
        using var activity = KtrdrActivity.Start(KtrdrActivity.SaveData, key);
        return await KtrdrActivity.TraceAsync(activity, () => SaveCoreAsync(key, bars, cancellationToken), (span, result) => span
            .SetTag(KtrdrActivity.RowsInserted, result.Inserted)
            .SetTag(KtrdrActivity.RowsAlreadyPresent, result.AlreadyPresent)
            .SetTag(KtrdrActivity.RowsConflicting, result.Conflicting));
    }

    private async Task<SaveResult> SaveCoreAsync(SeriesKey key, IAsyncEnumerable<Bar> bars, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var empty = !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM price_data WHERE symbol = @Symbol AND timeframe = @Timeframe)", key,
            cancellationToken: cancellationToken));
        if (empty)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                var count = await CopyAsync(connection, "COPY price_data (time, symbol, timeframe, open, high, low, close, volume) FROM STDIN (FORMAT BINARY)",
                    key, bars, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return new SaveResult(count, 0, 0, []);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // A timestamp repeated later in the input, or another writer got there first: merge instead.
                await transaction.RollbackAsync(cancellationToken);
            }
        }

        return await MergeAsync(connection, key, bars, cancellationToken);
    }

    private static async Task<SaveResult> MergeAsync(NpgsqlConnection connection, SeriesKey key, IAsyncEnumerable<Bar> bars,
        CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "CREATE TEMP TABLE price_stage (time timestamptz, open float8, high float8, low float8, close float8, volume float8) ON COMMIT DROP",
            transaction: transaction, cancellationToken: cancellationToken));
        var staged = await CopyAsync(connection, "COPY price_stage (time, open, high, low, close, volume) FROM STDIN (FORMAT BINARY)",
            null, bars, cancellationToken);

        // The first occurrence of a timestamp wins, as it would in a file read top to bottom.
        var inserted = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            WITH ins AS (
                INSERT INTO price_data (time, symbol, timeframe, open, high, low, close, volume)
                SELECT DISTINCT ON (time) time, @Symbol, @Timeframe, open, high, low, close, volume
                FROM price_stage ORDER BY time, ctid
                ON CONFLICT DO NOTHING
                RETURNING 1)
            SELECT count(*) FROM ins
            """, key, transaction, cancellationToken: cancellationToken));
        var conflicts = (await connection.QueryAsync<Bar>(new CommandDefinition("""
            SELECT s.time AS Time, s.open AS Open, s.high AS High, s.low AS Low, s.close AS Close, s.volume AS Volume
            FROM price_stage s JOIN price_data p ON p.symbol = @Symbol AND p.timeframe = @Timeframe AND p.time = s.time
            WHERE (p.open, p.high, p.low, p.close, p.volume) IS DISTINCT FROM (s.open, s.high, s.low, s.close, s.volume)
            ORDER BY s.time LIMIT @ConflictSample
            """, new { key.Symbol, key.Timeframe, ConflictSample }, transaction, cancellationToken: cancellationToken))).ToList();
        var conflicting = conflicts.Count == 0 ? 0 : await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            SELECT count(*) FROM price_stage s JOIN price_data p ON p.symbol = @Symbol AND p.timeframe = @Timeframe AND p.time = s.time
            WHERE (p.open, p.high, p.low, p.close, p.volume) IS DISTINCT FROM (s.open, s.high, s.low, s.close, s.volume)
            """, key, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new SaveResult(inserted, staged - inserted - conflicting, conflicting,
            conflicts.Select(b => b with { Time = DateTime.SpecifyKind(b.Time, DateTimeKind.Utc) }).ToList());
    }

    private static async Task<long> CopyAsync(NpgsqlConnection connection, string copy, SeriesKey? key, IAsyncEnumerable<Bar> bars,
        CancellationToken cancellationToken)
    {
        long count = 0;
        await using (var writer = await connection.BeginBinaryImportAsync(copy, cancellationToken))
        {
            await foreach (var bar in bars.WithCancellation(cancellationToken))
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(bar.Time, NpgsqlDbType.TimestampTz, cancellationToken);
                if (key is { } k)
                {
                    await writer.WriteAsync(k.Symbol, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(k.Timeframe, NpgsqlDbType.Text, cancellationToken);
                }

                await writer.WriteAsync(bar.Open, NpgsqlDbType.Double, cancellationToken);
                await writer.WriteAsync(bar.High, NpgsqlDbType.Double, cancellationToken);
                await writer.WriteAsync(bar.Low, NpgsqlDbType.Double, cancellationToken);
                await writer.WriteAsync(bar.Close, NpgsqlDbType.Double, cancellationToken);
                await writer.WriteAsync(bar.Volume, NpgsqlDbType.Double, cancellationToken);
                count++;
            }

            await writer.CompleteAsync(cancellationToken);
        }

        return count;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<Bar> LoadAsync(SeriesKey key, DateTime? start, DateTime? end, CancellationToken cancellationToken) =>
        // Untraced, the bars come straight from the reader: no extra iterator per bar when nobody listens.
        KtrdrActivity.Source.HasListeners()
            ? TracedLoadAsync(key, start, end, cancellationToken)
            : LoadCoreAsync(key, start, end, cancellationToken);

    private async IAsyncEnumerable<Bar> TracedLoadAsync(SeriesKey key, DateTime? start, DateTime? end,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var activity = KtrdrActivity.Start(KtrdrActivity.LoadData, key);
        long rows = 0;
        await foreach (var bar in LoadCoreAsync(key, start, end, cancellationToken))
        {
            rows++;
            yield return bar;
        }

        activity?.SetTag(KtrdrActivity.RowsLoaded, rows);
    }

    private async IAsyncEnumerable<Bar> LoadCoreAsync(SeriesKey key, DateTime? start, DateTime? end,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT time, open, high, low, close, volume FROM price_data
            WHERE symbol = $1 AND timeframe = $2 AND time >= $3 AND time < $4
            ORDER BY time
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Symbol, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Timeframe, NpgsqlDbType = NpgsqlDbType.Text });
        // Open ends are -infinity and infinity (Npgsql's mapping of DateTime.MinValue and MaxValue): any stored bar, from
        // year 1 to 9999, is inside them.
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = start ?? DateTime.MinValue, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = end ?? DateTime.MaxValue, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new Bar(reader.GetFieldValue<DateTime>(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3),
                reader.GetDouble(4), reader.GetDouble(5));
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListSymbolsAsync(string? timeframe, CancellationToken cancellationToken)
    {
        var series = await ListSeriesAsync(cancellationToken);
        return series.Where(s => timeframe is null || s.Timeframe == timeframe)
            .Select(s => s.Symbol).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Every (symbol, timeframe) with bars, found by skipping through the primary key (not a scan of all rows).</summary>
    public async Task<IReadOnlyList<SeriesKey>> ListSeriesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Symbol, string Timeframe)>(new CommandDefinition("""
            WITH RECURSIVE s AS (
                (SELECT symbol, timeframe FROM price_data ORDER BY symbol, timeframe LIMIT 1)
                UNION ALL
                SELECT n.symbol, n.timeframe FROM s, LATERAL (
                    SELECT p.symbol, p.timeframe FROM price_data p
                    WHERE (p.symbol, p.timeframe) > (s.symbol, s.timeframe)
                    ORDER BY p.symbol, p.timeframe LIMIT 1) n)
            SELECT symbol, timeframe FROM s
            """, cancellationToken: cancellationToken));
        return rows.Select(r => new SeriesKey(r.Symbol, r.Timeframe))
            .OrderBy(k => k.Symbol, StringComparer.Ordinal).ThenBy(k => k.Timeframe, StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc />
    public async Task<DateRange?> GetDateRangeAsync(SeriesKey key, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<(DateTime? First, DateTime? Last, long Count)>(new CommandDefinition(
            "SELECT min(time), max(time), count(*) FROM price_data WHERE symbol = @Symbol AND timeframe = @Timeframe",
            key, cancellationToken: cancellationToken));
        return row.First is null
            ? null
            : new DateRange(DateTime.SpecifyKind(row.First.Value, DateTimeKind.Utc), DateTime.SpecifyKind(row.Last!.Value, DateTimeKind.Utc), row.Count);
    }
}

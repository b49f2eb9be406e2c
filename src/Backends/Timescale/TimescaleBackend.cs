using System.Runtime.CompilerServices;
using Dapper;
using Ktrdr.Backends.Telemetry;
using Npgsql;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Bars in PostgreSQL/TimescaleDB (<c>price_data</c>). Writes use binary COPY; reads stream in time order through the
/// primary key. All SQL is parameterised.
/// </summary>
public sealed class TimescaleBackend(NpgsqlDataSource dataSource) : IDataBackend
{
    public string BackendType => "timescaledb";

    /// <inheritdoc />
    /// <remarks>
    /// Three ways, the cheapest that fits: a series with no bars yet is written by one binary COPY straight into
    /// <c>price_data</c>, in one transaction (a crash leaves nothing behind). Input in time order for a series with bars
    /// is walked alongside the stored bars (<see cref="SortedSeriesMerge"/>): present and conflicting bars are only
    /// counted, new ones copied in; a re-run writes nothing. Anything else (input out of order, a timestamp repeated,
    /// another writer in the way) is staged and merged with <c>ON CONFLICT DO NOTHING</c>
    /// (<see cref="StagedSeriesMerge"/>). <paramref name="bars"/> may be enumerated a second time for that.
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
                var count = await BarCopyWriter.CopyAsync(connection, BarCopyWriter.IntoPriceData, key, bars, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return new SaveResult(count, 0, 0, []);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // A timestamp repeated later in the input, or another writer got there first: merge instead.
                await transaction.RollbackAsync(cancellationToken);
            }
        }
        else if (await SortedSeriesMerge.TrySaveAsync(dataSource, connection, key, bars, cancellationToken) is { } merged)
        {
            return merged;
        }

        return await StagedSeriesMerge.SaveAsync(connection, key, bars, cancellationToken);
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

    /// <remarks>One statement, one snapshot; the plan is the ordered primary-key index scan (<see cref="OrderedBarRead"/>).</remarks>
    private async IAsyncEnumerable<Bar> LoadCoreAsync(SeriesKey key, DateTime? start, DateTime? end,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await OrderedBarRead.BeginAsync(connection, key, start, end, cancellationToken);
        await using var copy = await connection.BeginRawBinaryCopyAsync(OrderedBarRead.Range, cancellationToken);
        var reader = new BarCopyReader(copy);
        while (await reader.FillAsync(cancellationToken))
        {
            while (reader.TryRead(out var bar))
            {
                yield return bar;
            }
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

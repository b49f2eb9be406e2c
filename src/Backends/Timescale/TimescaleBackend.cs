using System.Diagnostics;
using System.Runtime.CompilerServices;
using Dapper;
using Ktrdr.Backends.Telemetry;
using Npgsql;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Bars in PostgreSQL/TimescaleDB (<c>price_data</c>). Writes use binary COPY; reads stream in time order through the
/// primary key. All SQL is parameterised. A timeframe with no stored bars of a symbol is served derived from a finer
/// stored one when <paramref name="derived"/> is configured for it (<see cref="DerivedSeriesReader"/>).
/// </summary>
public sealed class TimescaleBackend(NpgsqlDataSource dataSource, DerivedSeriesReader? derived = null)
    : IDataBackend, IBarWriter, ISeriesOrigins, IStoredSeriesReader, IDerivedBarReader, ISeriesBatchWriter
{
    // The chunk interval only sizes read windows, so a value read once serves the process: a change by a later
    // 'db migrate' (new chunks only) makes windows no less correct.
    private StrongBox<TimeSpan?>? _readInterval;

    /// <inheritdoc />
    public StoreKind Kind => StoreKind.Timescale;

    /// <inheritdoc />
    /// <remarks>All of <paramref name="bars"/> in one transaction, read once as they stream in (<see cref="SeriesBatchWriter"/>);
    /// an import commits in bounded batches instead (<see cref="SaveBatchAsync"/>).</remarks>
    public async Task<SaveResult> SaveAsync(SeriesKey key, IAsyncEnumerable<Bar> bars, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bars);
        ArgumentException.ThrowIfNullOrEmpty(key.Symbol);
        ArgumentException.ThrowIfNullOrEmpty(key.Timeframe);
        using var activity = KtrdrActivity.Start(KtrdrActivity.SaveData, key);
        return await KtrdrActivity.TraceAsync(activity, () => SeriesBatchWriter.SaveAsync(dataSource, key, bars, cancellationToken), TagCounts);
    }

    /// <inheritdoc />
    /// <remarks>
    /// How the batch is written is chosen from the whole batch before its transaction begins: bars in increasing time
    /// order are walked alongside the stored ones and copied (<see cref="SeriesBatchWriter"/>), any other order is staged
    /// and merged (<see cref="StagedSeriesMerge"/>). Writers of the same series take turns (advisory lock). Either way a
    /// table without a unique key and compressed chunks are handled as by <see cref="SaveAsync"/>.
    /// </remarks>
    /// <exception cref="PostgresException">The server refused the batch; nothing of it, nor of <paramref name="beforeCommit"/>, is stored.</exception>
    public async Task<SaveResult> SaveBatchAsync(SeriesKey key, IReadOnlyList<Bar> bars, BatchCommitting? beforeCommit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bars);
        ArgumentException.ThrowIfNullOrEmpty(key.Symbol);
        ArgumentException.ThrowIfNullOrEmpty(key.Timeframe);
        using var activity = KtrdrActivity.Start(KtrdrActivity.SaveData, key);
        return await KtrdrActivity.TraceAsync(activity, () => SeriesBatchWriter.SaveBatchAsync(dataSource, key, bars, beforeCommit, cancellationToken), TagCounts);
    }

    private static void TagCounts(Activity span, SaveResult result) => span
        .SetTag(KtrdrActivity.RowsInserted, result.Inserted)
        .SetTag(KtrdrActivity.RowsAlreadyPresent, result.AlreadyPresent)
        .SetTag(KtrdrActivity.RowsConflicting, result.Conflicting);

    /// <summary>The chunk time interval of <c>price_data</c> when it is a hypertable; null for a plain table.</summary>
    public async Task<TimeSpan?> ChunkIntervalAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await SeriesBatchWriter.ChunkIntervalAsync(connection, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A series with no stored bars is served derived when a configured derivation gives it.</remarks>
    public IAsyncEnumerable<Bar> LoadAsync(SeriesKey key, DateTime? start, DateTime? end, CancellationToken cancellationToken) =>
        // Untraced, the bars come straight from the reader: no extra iterator per bar when nobody listens.
        KtrdrActivity.Source.HasListeners()
            ? TracedLoadAsync(key, start, end, derive: true, cancellationToken)
            : LoadCoreAsync(key, start, end, derive: true, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Untraced here: the readers get it through <see cref="TracedStoredSeriesReader"/>, which adds the load span.</remarks>
    public IAsyncEnumerable<Bar> LoadStoredAsync(SeriesKey key, DateTime? start, DateTime? end, CancellationToken cancellationToken) =>
        LoadCoreAsync(key, start, end, derive: false, cancellationToken);

    private async IAsyncEnumerable<Bar> TracedLoadAsync(SeriesKey key, DateTime? start, DateTime? end, bool derive,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var activity = KtrdrActivity.Start(KtrdrActivity.LoadData, key);
        long rows = 0;
        await foreach (var bar in LoadCoreAsync(key, start, end, derive, cancellationToken))
        {
            rows++;
            yield return bar;
        }

        activity?.SetTag(KtrdrActivity.RowsLoaded, rows);
    }

    /// <remarks>
    /// The ordered primary-key index scan (<see cref="OrderedBarRead"/>), one statement and one snapshot per window of
    /// chunks (<see cref="ReadWindows"/>); a plain table is one window.
    /// </remarks>
    private async IAsyncEnumerable<Bar> LoadCoreAsync(SeriesKey key, DateTime? start, DateTime? end, bool derive,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (derive && derived is not null && await derived.ResolveAsync(connection, key, cancellationToken) is { } plan)
        {
            await foreach (var bar in derived.LoadAsync(connection, plan, start ?? DateTime.MinValue, end ?? DateTime.MaxValue, cancellationToken))
            {
                yield return bar;
            }

            yield break;
        }

        _readInterval ??= new(await SeriesBatchWriter.ChunkIntervalAsync(connection, cancellationToken));
        var windows = await ReadWindows.ListAsync(connection, _readInterval.Value, start ?? DateTime.MinValue, end ?? DateTime.MaxValue, cancellationToken);
        foreach (var (from, to) in windows)
        {
            // The platform's span per read statement (a window of chunks), not per bar.
            using var query = PlatformSpans.StartDb(PlatformSpans.TimescaleQuery, connection.Database, "SELECT", key);
            long rows = 0;
            await using var transaction = await OrderedBarRead.BeginAsync(connection, key, cancellationToken);
            await using var copy = await connection.BeginRawBinaryCopyAsync(OrderedBarRead.Range(from, to), cancellationToken);
            var reader = new BarCopyReader(copy);
            while (await reader.FillAsync(cancellationToken))
            {
                while (reader.TryRead(out var bar))
                {
                    rows++;
                    yield return bar;
                }
            }

            query?.SetTag(PlatformSpans.DbRowsAffected, rows);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListSymbolsAsync(string? timeframe, CancellationToken cancellationToken)
    {
        var series = await ListSeriesAsync(cancellationToken);
        var sources = timeframe is null || derived is null
            ? []
            : derived.Derivations.Where(d => d.Target == timeframe).Select(d => d.Source).ToHashSet(StringComparer.Ordinal);
        return series.Where(s => timeframe is null || s.Timeframe == timeframe || sources.Contains(s.Timeframe))
            .Select(s => s.Symbol).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc />
    /// <remarks>Found by skipping through the primary key (not a scan of all rows).</remarks>
    public async Task<IReadOnlyList<SeriesKey>> ListSeriesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        using var query = PlatformSpans.StartDb(PlatformSpans.TimescaleQuery, connection.Database, "SELECT");
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
        var series = rows.Select(r => new SeriesKey(r.Symbol, r.Timeframe))
            .OrderBy(k => k.Symbol, StringComparer.Ordinal).ThenBy(k => k.Timeframe, StringComparer.Ordinal).ToList();
        query?.SetTag(PlatformSpans.DbRowsAffected, series.Count);
        return series;
    }

    /// <inheritdoc />
    public async Task<DateRange?> GetDateRangeAsync(SeriesKey key, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        using var query = PlatformSpans.StartDb(PlatformSpans.TimescaleQuery, connection.Database, "SELECT", key);
        var row = await connection.QuerySingleAsync<(DateTime? First, DateTime? Last, long Count)>(new CommandDefinition(
            "SELECT min(time), max(time), count(*) FROM price_data WHERE symbol = @Symbol AND timeframe = @Timeframe",
            key, cancellationToken: cancellationToken));
        query?.SetTag(PlatformSpans.DbRowsAffected, 1);
        if (row.First is null && derived is not null && await derived.ResolveAsync(connection, key, cancellationToken) is { } plan)
        {
            return await DerivedSeriesReader.GetDateRangeAsync(connection, plan, cancellationToken);
        }

        return row.First is null
            ? null
            : new DateRange(DateTime.SpecifyKind(row.First.Value, DateTimeKind.Utc), DateTime.SpecifyKind(row.Last!.Value, DateTimeKind.Utc), row.Count);
    }

    /// <inheritdoc />
    public async Task<SeriesOrigin> OriginAsync(SeriesKey key, CancellationToken cancellationToken)
    {
        if (derived is null)
        {
            return SeriesOrigin.Stored;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await derived.ResolveAsync(connection, key, cancellationToken))?.Origin ?? SeriesOrigin.Stored;
    }

    /// <inheritdoc />
    public IReadOnlyList<Derivation> Derivations => derived?.Derivations ?? [];

    /// <inheritdoc />
    public async IAsyncEnumerable<Bar> LoadDerivedAsync(string symbol, Derivation derivation, DateTime? start, DateTime? end,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(derivation);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var plan = await (derived ?? throw new InvalidOperationException("no derived timeframes are configured (KTRDR_DERIVED_TIMEFRAMES)"))
            .PlanAsync(connection, symbol, derivation, cancellationToken);
        await foreach (var bar in derived.LoadAsync(connection, plan, start ?? DateTime.MinValue, end ?? DateTime.MaxValue, cancellationToken))
        {
            yield return bar;
        }
    }
}

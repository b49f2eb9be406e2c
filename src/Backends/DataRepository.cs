namespace Ktrdr.Backends;

/// <summary>
/// The one entry point readers and writers use, whichever store is in force (chosen by <c>DB_TYPE</c> at start-up,
/// or injected). It adds argument checks and nothing else, so both stores answer alike.
/// </summary>
public sealed class DataRepository(IDataBackend backend)
{
    /// <summary><c>csv</c> or <c>timescaledb</c>.</summary>
    public string BackendType => backend.BackendType;

    /// <summary>The store behind this repository.</summary>
    public IDataBackend Backend => backend;

    /// <summary>Streams bars in time order within [start, end).</summary>
    /// <exception cref="ArgumentException">start is not before end.</exception>
    public IAsyncEnumerable<Bar> LoadAsync(SeriesKey key, DateTime? start, DateTime? end, CancellationToken cancellationToken)
    {
        if (start is { } s && end is { } e && s >= e)
        {
            throw new ArgumentException($"start {s:O} must be before end {e:O}", nameof(start));
        }

        return backend.LoadAsync(key, start, end, cancellationToken);
    }

    /// <inheritdoc cref="IBarWriter.SaveAsync"/>
    public Task<SaveResult> SaveAsync(SeriesKey key, IAsyncEnumerable<Bar> bars, CancellationToken cancellationToken) =>
        backend.SaveAsync(key, bars, cancellationToken);

    /// <inheritdoc cref="ISeriesCatalog.ListSymbolsAsync"/>
    public Task<IReadOnlyList<string>> ListSymbolsAsync(string? timeframe, CancellationToken cancellationToken) =>
        backend.ListSymbolsAsync(timeframe, cancellationToken);

    /// <summary>Whether <paramref name="key"/> is served from stored bars or derived from a finer stored timeframe.</summary>
    public Task<SeriesOrigin> OriginAsync(SeriesKey key, CancellationToken cancellationToken) =>
        backend is ISeriesOrigins origins ? origins.OriginAsync(key, cancellationToken) : Task.FromResult(SeriesOrigin.Stored);

    /// <inheritdoc cref="ISeriesCatalog.GetDateRangeAsync"/>
    public Task<DateRange?> GetDateRangeAsync(SeriesKey key, CancellationToken cancellationToken) =>
        backend.GetDateRangeAsync(key, cancellationToken);
}

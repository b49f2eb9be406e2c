namespace Ktrdr.Backends;

/// <summary>
/// What the database stores as written, never derived: the series the migration wrote and their bars. The checks that
/// prove a migration read through it, so that a file whose bars were never stored is not matched by bars aggregated
/// from another timeframe.
/// </summary>
public interface IStoredSeriesReader
{
    /// <summary>Every (symbol, timeframe) with stored bars, sorted ordinally by symbol then timeframe.</summary>
    Task<IReadOnlyList<SeriesKey>> ListSeriesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Streams the stored bars of <paramref name="key"/> in ascending time order, within [<paramref name="start"/>,
    /// <paramref name="end"/>) when given. A series with no stored bars yields nothing. Read-only; repeatable.
    /// </summary>
    IAsyncEnumerable<Bar> LoadStoredAsync(SeriesKey key, DateTime? start, DateTime? end, CancellationToken cancellationToken);
}

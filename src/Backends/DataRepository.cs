using System.Runtime.CompilerServices;
using Ktrdr.Backends.Telemetry;

namespace Ktrdr.Backends;

/// <summary>
/// The one entry point readers use, whichever store is in force (the host registers the
/// <see cref="IDataBackend"/> of the <see cref="StoreKind"/> it chose). It adds argument checks and the platform's spans (<c>data.repository.load</c>,
/// <c>list_symbols</c>) and nothing else, so both stores answer alike.
/// </summary>
public sealed class DataRepository(IDataBackend backend)
{
    /// <summary>Which store answers.</summary>
    public StoreKind Kind => backend.Kind;

    /// <summary>Streams bars in time order within [start, end).</summary>
    /// <exception cref="ArgumentException">start is not before end.</exception>
    public IAsyncEnumerable<Bar> LoadAsync(SeriesKey key, DateTime? start, DateTime? end, CancellationToken cancellationToken)
    {
        if (start is { } s && end is { } e && s >= e)
        {
            throw new ArgumentException($"start {s:O} must be before end {e:O}", nameof(start));
        }

        // Untraced, the bars come straight from the store: no extra step per bar when nobody listens.
        return KtrdrActivity.Source.HasListeners() ? TracedLoadAsync(key, start, end, cancellationToken) : backend.LoadAsync(key, start, end, cancellationToken);
    }

    /// <inheritdoc cref="ISeriesCatalog.ListSymbolsAsync"/>
    public async Task<IReadOnlyList<string>> ListSymbolsAsync(string? timeframe, CancellationToken cancellationToken)
    {
        using var activity = KtrdrActivity.Source.StartActivity(PlatformSpans.RepositoryListSymbols);
        activity?.SetTag("data.backend", backend.Kind.ToName());
        activity?.SetTag(PlatformSpans.DataTimeframe, timeframe);
        return await KtrdrActivity.TraceAsync(activity, () => backend.ListSymbolsAsync(timeframe, cancellationToken),
            (span, symbols) => span.SetTag("data.symbols_count", symbols.Count));
    }

    /// <summary>Whether <paramref name="key"/> is served from stored bars or derived from a finer stored timeframe.</summary>
    public Task<SeriesOrigin> OriginAsync(SeriesKey key, CancellationToken cancellationToken) =>
        backend is ISeriesOrigins origins ? origins.OriginAsync(key, cancellationToken) : Task.FromResult(SeriesOrigin.Stored);

    /// <inheritdoc cref="ISeriesCatalog.GetDateRangeAsync"/>
    public Task<DateRange?> GetDateRangeAsync(SeriesKey key, CancellationToken cancellationToken) =>
        backend.GetDateRangeAsync(key, cancellationToken);

    private async IAsyncEnumerable<Bar> TracedLoadAsync(SeriesKey key, DateTime? start, DateTime? end,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var activity = Start(PlatformSpans.RepositoryLoad, key);
        long rows = 0;
        await foreach (var bar in backend.LoadAsync(key, start, end, cancellationToken))
        {
            rows++;
            yield return bar;
        }

        activity?.SetTag(KtrdrActivity.RowsLoaded, rows);
    }

    private System.Diagnostics.Activity? Start(string name, SeriesKey key)
    {
        var activity = PlatformSpans.Start(name, key);
        activity?.SetTag("data.backend", backend.Kind.ToName());
        return activity;
    }
}

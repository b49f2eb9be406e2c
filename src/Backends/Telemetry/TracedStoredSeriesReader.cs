using System.Runtime.CompilerServices;

namespace Ktrdr.Backends.Telemetry;

/// <summary>
/// Adds the <c>timescaledb.load_data</c> span (with the rows read) around each stored read of <paramref name="inner"/>,
/// in the style of Serilog's sinks: the reader reads, this decorator traces, and neither knows the other's concern.
/// Untraced (nobody listens), the bars come straight from the reader, with no extra step per bar.
/// </summary>
public sealed class TracedStoredSeriesReader(IStoredSeriesReader inner) : IStoredSeriesReader
{
    /// <inheritdoc />
    public Task<IReadOnlyList<SeriesKey>> ListSeriesAsync(CancellationToken cancellationToken) => inner.ListSeriesAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<Bar> LoadStoredAsync(SeriesKey key, DateTime? start, DateTime? end, CancellationToken cancellationToken) =>
        KtrdrActivity.Source.HasListeners()
            ? TracedLoadAsync(key, start, end, cancellationToken)
            : inner.LoadStoredAsync(key, start, end, cancellationToken);

    private async IAsyncEnumerable<Bar> TracedLoadAsync(SeriesKey key, DateTime? start, DateTime? end,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var activity = KtrdrActivity.Start(KtrdrActivity.LoadData, key);
        long rows = 0;
        await foreach (var bar in inner.LoadStoredAsync(key, start, end, cancellationToken))
        {
            rows++;
            yield return bar;
        }

        activity?.SetTag(KtrdrActivity.RowsLoaded, rows);
    }
}

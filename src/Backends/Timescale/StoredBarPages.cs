using Npgsql;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// The stored bars of one series from a time on, in time order, one page at a time (keyset: each page starts after the
/// last bar of the one before), the next page fetched while the caller works on the current one. A caller may stop
/// at any page without reading the rest of the series. Memory: two pages. One snapshot (<see cref="OrderedBarRead"/>).
/// </summary>
internal sealed class StoredBarPages : IAsyncDisposable
{
    private readonly NpgsqlTransaction _transaction;
    private readonly CancellationToken _cancellationToken;
    private List<Bar> _spare = new(OrderedBarRead.PageSize);
    private List<Bar>? _current;
    private Task<List<Bar>>? _next;
    private bool _disposed;

    private StoredBarPages(NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        _transaction = transaction;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Starts reading the bars of <paramref name="key"/> at <paramref name="from"/> (included) on <paramref name="connection"/>.</summary>
    public static async Task<StoredBarPages> OpenAsync(NpgsqlConnection connection, SeriesKey key, DateTime from, CancellationToken cancellationToken)
    {
        var transaction = await OrderedBarRead.BeginAsync(connection, key, null, null, cancellationToken);
        var pages = new StoredBarPages(transaction, cancellationToken);
        // One microsecond before: the first page includes a bar stored at 'from' itself.
        pages._next = pages.FetchAsync(new List<Bar>(OrderedBarRead.PageSize), from == DateTime.MinValue ? from : from.AddTicks(-10));
        return pages;
    }

    /// <summary>The next page, empty at the end. Valid until the next call; the page after it is fetched meanwhile.</summary>
    public async Task<List<Bar>> NextPageAsync()
    {
        if (_next is null)
        {
            return [];
        }

        var page = await _next;
        if (_current is not null)
        {
            _spare = _current;
        }

        _current = page;
        _next = page.Count == OrderedBarRead.PageSize ? FetchAsync(_spare, page[^1].Time) : null;
        return page;
    }

    private async Task<List<Bar>> FetchAsync(List<Bar> page, DateTime after)
    {
        page.Clear();
        await OrderedBarRead.SetFromAsync(_transaction, after, _cancellationToken);
        await using var copy = await _transaction.Connection!.BeginRawBinaryCopyAsync(OrderedBarRead.PageAfter, _cancellationToken);
        var reader = new BarCopyReader(copy);
        while (await reader.FillAsync(_cancellationToken))
        {
            while (reader.TryRead(out var bar))
            {
                page.Add(bar);
            }
        }

        return page;
    }

    /// <summary>Waits for a fetch still under way (the connection is busy until then), then ends the read. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_next is not null)
        {
            try
            {
                await _next;
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException)
            {
                // The caller stopped early or has already failed; ending the transaction below is all that is left.
            }
        }

        await _transaction.DisposeAsync();
    }
}

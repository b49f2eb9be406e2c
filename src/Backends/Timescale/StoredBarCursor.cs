using Npgsql;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Looks up a series' stored bars at increasing times, for a writer walking its input in time order, inside the
/// writer's own transaction. Bars are fetched a page at a time from the time asked for on, and each fetch spans at
/// most <see cref="OrderedBarRead.WindowChunks"/> chunks, so stored bars the input skips are never read and no
/// statement locks more than a window of chunks. Reading on the writer's connection, not a second one, matters: a
/// second connection's locks, held while the first waits behind a background job's (compress_chunk), made a deadlock
/// the server cannot see, since the reader only waited on this process; the import hung.
/// </summary>
internal sealed class StoredBarCursor
{
    private readonly NpgsqlConnection _connection;
    private readonly TimeSpan? _window;
    private readonly Func<Task> _beforeFetch;
    private readonly CancellationToken _cancellationToken;
    private readonly List<Bar> _page = new(OrderedBarRead.PageSize);
    private DateTime _fetchedTo = DateTime.MinValue;
    private bool _full;
    private int _at;

    private StoredBarCursor(NpgsqlConnection connection, TimeSpan? window, Func<Task> beforeFetch, CancellationToken cancellationToken)
    {
        _connection = connection;
        _window = window;
        _beforeFetch = beforeFetch;
        _cancellationToken = cancellationToken;
    }

    /// <summary>
    /// Starts the lookups of <paramref name="key"/> in the transaction open on <paramref name="connection"/>;
    /// <paramref name="chunkInterval"/> null for a plain table. <paramref name="beforeFetch"/> runs before each fetch, to
    /// end a COPY under way on the same connection.
    /// </summary>
    public static async Task<StoredBarCursor> OpenAsync(NpgsqlConnection connection, SeriesKey key, TimeSpan? chunkInterval, Func<Task> beforeFetch,
        CancellationToken cancellationToken)
    {
        await OrderedBarRead.SetSeriesAsync(connection, key, cancellationToken);
        return new StoredBarCursor(connection, chunkInterval * OrderedBarRead.WindowChunks, beforeFetch, cancellationToken);
    }

    /// <summary>The bar stored at exactly <paramref name="time"/>, or null. Each call must ask for a later time than the one before.</summary>
    public async ValueTask<Bar?> FindAsync(DateTime time)
    {
        while (true)
        {
            while (_at < _page.Count && _page[_at].Time < time)
            {
                _at++;
            }

            if (_at < _page.Count)
            {
                return _page[_at].Time == time ? _page[_at] : null;
            }

            if (!_full && time < _fetchedTo)
            {
                return null;
            }

            // Stored bars before 'time' are of no use to a walk that has gone past them: fetch from 'time' on.
            var from = PgTimestamp.Truncate(time);
            _fetchedTo = _window is { } w && DateTime.MaxValue - w > from ? PgTimestamp.Truncate(from + w) : DateTime.MaxValue;
            _page.Clear();
            _at = 0;
            await _beforeFetch();
            await OrderedBarRead.ReadAsync(_connection, OrderedBarRead.Page(from, _fetchedTo), _page, _cancellationToken);
            _full = _page.Count == OrderedBarRead.PageSize;
            if (_page.Count == 0)
            {
                return null;
            }
        }
    }
}

using Npgsql;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Saves bars in strictly increasing time order into a series that already has bars, without staging: the stored bars
/// from the first incoming time on are read in order (<see cref="StoredBarPages"/>) and walked alongside the input. A bar
/// stored with the same values is counted as present, with other values as a conflict (never written); only bars not
/// stored yet are written, by binary COPY straight into <c>price_data</c>, committed once at the end. A re-run where
/// every bar is present therefore writes nothing and costs one ordered read.
/// </summary>
internal static class SortedSeriesMerge
{
    /// <summary>
    /// Saves <paramref name="bars"/>, reading the stored bars on <paramref name="connection"/>. New bars are written on
    /// the same connection once the stored bars are used up (appending to a series, the usual case); new bars between
    /// stored ones need a second connection while the read is still open.
    /// </summary>
    /// <returns>
    /// The counts; or null, with nothing written, when the input turns out not to be in strictly increasing time
    /// order or another writer stored one of the new bars meanwhile: the caller then saves by staging and merging.
    /// </returns>
    public static async Task<SaveResult?> TrySaveAsync(NpgsqlDataSource dataSource, NpgsqlConnection connection, SeriesKey key,
        IAsyncEnumerable<Bar> bars, CancellationToken cancellationToken)
    {
        await using var input = bars.GetAsyncEnumerator(cancellationToken);
        if (!await input.MoveNextAsync())
        {
            return SaveResult.Empty;
        }

        await using var stored = await StoredBarPages.OpenAsync(connection, key, input.Current.Time, cancellationToken);
        await using var writer = new NewBarWriter(dataSource, connection, key);
        var conflicts = new List<Bar>();
        long present = 0, conflicting = 0;
        var page = await NextPageAsync(stored, writer);
        var at = 0;
        var previous = DateTime.MinValue;
        try
        {
            do
            {
                var bar = input.Current;
                if (bar.Time <= previous)
                {
                    return null;
                }

                previous = bar.Time;
                while (at < page.Count && page[at].Time < bar.Time)
                {
                    if (++at == page.Count)
                    {
                        page = await NextPageAsync(stored, writer);
                        at = 0;
                    }
                }

                if (at < page.Count && page[at].Time == bar.Time)
                {
                    if (page[at] == bar)
                    {
                        present++;
                    }
                    else if (++conflicting <= SaveResult.ConflictSample)
                    {
                        conflicts.Add(bar);
                    }
                }
                else
                {
                    await writer.WriteAsync(bar, cancellationToken);
                }
            }
            while (await input.MoveNextAsync());

            await writer.CommitAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return null;
        }

        return new SaveResult(writer.Written, present, conflicting, conflicts);
    }

    /// <summary>The next page of stored bars; at the end, the read is closed and its connection handed to the writer.</summary>
    private static async Task<List<Bar>> NextPageAsync(StoredBarPages stored, NewBarWriter writer)
    {
        var page = await stored.NextPageAsync();
        if (page.Count == 0)
        {
            await stored.DisposeAsync();
            writer.SharedConnectionFree = true;
        }

        return page;
    }

    /// <summary>The bars not stored yet: one binary COPY into <c>price_data</c> in a transaction of its own, begun at the first.</summary>
    private sealed class NewBarWriter(NpgsqlDataSource dataSource, NpgsqlConnection shared, SeriesKey key) : IAsyncDisposable
    {
        private NpgsqlConnection? _own;
        private NpgsqlTransaction? _transaction;
        private BarCopyWriter? _copy;

        /// <summary>Set once the read of stored bars has ended: the writer may then use the reader's connection.</summary>
        public bool SharedConnectionFree { get; set; }

        public long Written { get; private set; }

        public async ValueTask WriteAsync(Bar bar, CancellationToken cancellationToken)
        {
            if (_copy is null)
            {
                var connection = SharedConnectionFree ? shared : _own = await dataSource.OpenConnectionAsync(cancellationToken);
                _transaction = await connection.BeginTransactionAsync(cancellationToken);
                _copy = await BarCopyWriter.BeginAsync(connection, BarCopyWriter.IntoPriceData, key, cancellationToken);
            }

            await _copy.WriteAsync(bar, cancellationToken);
            Written++;
        }

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            if (_copy is not null)
            {
                await _copy.CompleteAsync(cancellationToken);
                await _transaction!.CommitAsync(cancellationToken);
            }
        }

        /// <summary>Without <see cref="CommitAsync"/>: the COPY is cancelled and the transaction rolled back.</summary>
        public async ValueTask DisposeAsync()
        {
            if (_copy is not null)
            {
                await _copy.DisposeAsync();
            }

            if (_transaction is not null)
            {
                await _transaction.DisposeAsync();
            }

            if (_own is not null)
            {
                await _own.DisposeAsync();
            }
        }
    }
}

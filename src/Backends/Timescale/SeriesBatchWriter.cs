using Dapper;
using Ktrdr.Backends.Telemetry;
using Npgsql;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Writes one batch of a series' bars in one transaction. The transaction first takes the series' advisory lock, so two
/// writers of one series take turns and the comparison below sees every committed bar. Input in time order is walked
/// alongside the stored bars from its first time on (<see cref="StoredBarCursor"/>, in the same transaction): a bar
/// stored with the same values is counted present, with other values a conflict (never written), and the rest go out by
/// one binary COPY. Into an empty range that is a plain COPY, and a re-run writes nothing. Input in any other order is
/// staged and merged (<see cref="StagedSeriesMerge"/>) in the same transaction. A batch in memory
/// (<see cref="SaveBatchAsync"/>) is sent one way or the other, chosen before its transaction begins; a stream
/// (<see cref="SaveAsync"/>), read once, is walked until it goes back in time and its rest staged.
/// </summary>
internal static class SeriesBatchWriter
{
    /// <summary>Writes <paramref name="bars"/>, then runs <paramref name="beforeCommit"/> in the same transaction, then commits.</summary>
    public static async Task<SaveResult> SaveBatchAsync(NpgsqlDataSource dataSource, SeriesKey key, IReadOnlyList<Bar> bars,
        BatchCommitting? beforeCommit, CancellationToken cancellationToken)
    {
        var sorted = IsIncreasing(bars);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        using var activity = PlatformSpans.StartDb(PlatformSpans.TimescaleInsert, connection.Database, "COPY", key);
        return await KtrdrActivity.TraceAsync(activity, () => WriteAsync(connection, key, async () =>
            {
                if (bars.Count == 0)
                {
                    return SaveResult.Empty;
                }

                if (!sorted)
                {
                    return await StagedSeriesMerge.MergeAsync(connection, key, bars, cancellationToken);
                }

                await using var input = new ListEnumerator(bars);
                await input.MoveNextAsync();
                return (await WalkSortedAsync(connection, key, input, cancellationToken)).Result;
            }, beforeCommit, cancellationToken),
            (span, result) => span.SetTag(PlatformSpans.DbRowsAffected, result.Inserted));
    }

    /// <summary>Writes <paramref name="bars"/>, read once as they stream in, in one transaction.</summary>
    public static async Task<SaveResult> SaveAsync(NpgsqlDataSource dataSource, SeriesKey key, IAsyncEnumerable<Bar> bars, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // The platform's span for the write: the whole transaction (the input is produced as it streams into it).
        using var activity = PlatformSpans.StartDb(PlatformSpans.TimescaleInsert, connection.Database, "COPY", key);
        return await KtrdrActivity.TraceAsync(activity, () => WriteAsync(connection, key, () => StreamAsync(connection, key, bars, cancellationToken), null, cancellationToken),
            (span, result) => span.SetTag(PlatformSpans.DbRowsAffected, result.Inserted));
    }

    /// <summary>Strictly increasing times: the sorted walk can take every bar; anything else (a repeat included) is staged.</summary>
    private static bool IsIncreasing(IReadOnlyList<Bar> bars)
    {
        for (var i = 1; i < bars.Count; i++)
        {
            if (bars[i].Time <= bars[i - 1].Time)
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<SaveResult> WriteAsync(NpgsqlConnection connection, SeriesKey key, Func<Task<SaveResult>> write,
        BatchCommitting? beforeCommit, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtextextended(@Symbol || chr(31) || @Timeframe, 0))", key, cancellationToken: cancellationToken));
        var result = await write();
        if (beforeCommit is not null)
        {
            await beforeCommit(connection, result, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static async Task<SaveResult> StreamAsync(NpgsqlConnection connection, SeriesKey key, IAsyncEnumerable<Bar> bars, CancellationToken cancellationToken)
    {
        await using var input = bars.GetAsyncEnumerator(cancellationToken);
        if (!await input.MoveNextAsync())
        {
            return SaveResult.Empty;
        }

        var walked = await WalkSortedAsync(connection, key, input, cancellationToken);
        if (!walked.Unsorted)
        {
            return walked.Result;
        }

        var result = walked.Result;
        var staged = await StagedSeriesMerge.MergeAsync(connection, key, Rest(input, cancellationToken), cancellationToken);
        return new SaveResult(result.Inserted + staged.Inserted, result.AlreadyPresent + staged.AlreadyPresent,
            result.Conflicting + staged.Conflicting,
            result.FirstConflicts.Concat(staged.FirstConflicts).Take(SaveResult.ConflictSample).ToList());
    }

    /// <summary>
    /// Walks the input from its current bar while it is in strictly increasing time order. Stops at the end, or at a
    /// bar not after the one before it (left as the enumerator's current bar, not counted, for the staged merge).
    /// </summary>
    private static async Task<(SaveResult Result, bool Unsorted)> WalkSortedAsync(NpgsqlConnection connection,
        SeriesKey key, IAsyncEnumerator<Bar> input, CancellationToken cancellationToken)
    {
        var chunkInterval = await ChunkIntervalAsync(connection, cancellationToken);
        BarCopyWriter? copy = null;

        // One connection reads and writes: a page is fetched between COPYs, so the COPY under way ends first.
        var stored = await StoredBarCursor.OpenAsync(connection, key, chunkInterval, async () =>
        {
            if (copy is not null)
            {
                await copy.CompleteAsync(cancellationToken);
                await copy.DisposeAsync();
                copy = null;
            }
        }, cancellationToken);
        var conflicts = new List<Bar>();
        long written = 0, present = 0, conflicting = 0;
        var previous = DateTime.MinValue;
        var unsorted = false;
        try
        {
            do
            {
                var bar = input.Current;
                if (bar.Time <= previous && written + present + conflicting > 0)
                {
                    unsorted = true;
                    break;
                }

                previous = bar.Time;
                if (await stored.FindAsync(bar.Time) is { } existing)
                {
                    if (existing == bar)
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
                    copy ??= await BarCopyWriter.BeginAsync(connection, BarCopyWriter.IntoPriceData, key, cancellationToken);
                    await copy.WriteAsync(bar, cancellationToken);
                    written++;
                }
            }
            while (await input.MoveNextAsync());

            if (copy is not null)
            {
                await copy.CompleteAsync(cancellationToken);
            }
        }
        finally
        {
            if (copy is not null)
            {
                await copy.DisposeAsync();
            }
        }

        return (new SaveResult(written, present, conflicting, conflicts), unsorted);
    }

    /// <summary>The chunk interval of <c>price_data</c> when it is a hypertable (it bounds each read); null for a plain table.</summary>
    public static async Task<TimeSpan?> ChunkIntervalAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var hasCatalog = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')", cancellationToken: cancellationToken));
        return hasCatalog
            ? await connection.ExecuteScalarAsync<TimeSpan?>(new CommandDefinition(
                "SELECT time_interval FROM timescaledb_information.dimensions WHERE hypertable_name = 'price_data' AND column_name = 'time' LIMIT 1",
                cancellationToken: cancellationToken))
            : null;
    }

    /// <summary>The enumerator's current bar and every one after it.</summary>
    private static async IAsyncEnumerable<Bar> Rest(IAsyncEnumerator<Bar> input, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return input.Current;
        }
        while (await input.MoveNextAsync());
    }

    /// <summary>A batch in memory as the walk's input (no allocation or await per bar).</summary>
    private sealed class ListEnumerator(IReadOnlyList<Bar> bars) : IAsyncEnumerator<Bar>
    {
        private int _at = -1;

        public Bar Current => bars[_at];

        public ValueTask<bool> MoveNextAsync() => ValueTask.FromResult(++_at < bars.Count);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

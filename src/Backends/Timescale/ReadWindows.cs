using Dapper;
using Npgsql;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// A long read cut into windows of at most <see cref="OrderedBarRead.WindowChunks"/> chunks, from the hypertable's
/// chunk catalog: spans with no chunk are skipped, and no statement locks or plans more than a window's chunks. Each
/// window is read in its own transaction, so a read over many windows is not one snapshot; imports only add bars, so a
/// read that overlaps one sees, per window, either none or all of a committed batch.
/// </summary>
internal static class ReadWindows
{
    /// <summary>
    /// [<paramref name="from"/>, <paramref name="to"/>) as windows in time order: the whole span at once for a plain
    /// table (<paramref name="chunkInterval"/> null) or a span shorter than a window, which needs no catalog query.
    /// </summary>
    public static async Task<IReadOnlyList<(DateTime From, DateTime To)>> ListAsync(NpgsqlConnection connection, TimeSpan? chunkInterval,
        DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        if (chunkInterval is not { } interval || to - from <= interval * OrderedBarRead.WindowChunks)
        {
            return [(from, to)];
        }

        // Clamped to DateTime's range: the chunk of a bar in 9999 ends in year 10000.
        var chunks = (await connection.QueryAsync<(DateTime Start, DateTime End)>(new CommandDefinition("""
            SELECT greatest(range_start, '0001-01-01 00:00:00+00'), least(range_end, '9999-12-31 23:59:59.999999+00')
            FROM timescaledb_information.chunks
            WHERE hypertable_name = 'price_data' AND range_end > @from AND range_start < @to
            ORDER BY range_start
            """, new { from, to }, cancellationToken: cancellationToken))).ToList();
        var windows = new List<(DateTime, DateTime)>();
        for (var i = 0; i < chunks.Count; i += OrderedBarRead.WindowChunks)
        {
            var next = i + OrderedBarRead.WindowChunks;

            // The first and last windows reach the caller's own bounds: no bar lies outside every chunk.
            var start = i == 0 ? from : Utc(chunks[i].Start);
            var end = next >= chunks.Count ? to : Utc(chunks[next].Start);
            windows.Add((start, end));
        }

        return windows;
    }

    private static DateTime Utc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc);
}

using System.Globalization;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Compares an existing <c>price_data</c> (the platform's own, say) with the table <c>db migrate</c> creates: text
/// symbol and timeframe, the eight columns the migration writes, primary key (symbol, timeframe, time), no policy but
/// compression. Each difference says what it means for a migration, so that a table of another shape is never kept
/// silently.
/// </summary>
public static class PriceDataDifferences
{
    /// <summary>The columns the migration writes, with the type it writes.</summary>
    public static IReadOnlyList<(string Name, string Type)> OwnedColumns { get; } =
    [
        ("time", "timestamp with time zone"), ("symbol", "text"), ("timeframe", "text"), ("open", "double precision"),
        ("high", "double precision"), ("low", "double precision"), ("close", "double precision"), ("volume", "double precision"),
    ];

    /// <summary>Every difference of <paramref name="shape"/> from the migration's own table; empty when it is the same.</summary>
    /// <param name="shape">The table as read.</param>
    /// <param name="chunkInterval">The chunk interval <c>TSDB_CHUNK_INTERVAL</c> asks for.</param>
    public static IReadOnlyList<ShapeDifference> Of(PriceDataShape shape, TimeSpan chunkInterval)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var differences = new List<ShapeDifference>();
        if (!shape.Exists)
        {
            return differences;
        }

        foreach (var (name, type) in OwnedColumns)
        {
            differences.AddRange(ColumnDifference(shape.Column(name), name, type));
        }

        foreach (var extra in shape.Columns.Where(c => OwnedColumns.All(o => o.Name != c.Name)))
        {
            differences.Add(extra.Default is null && extra.NotNull
                ? new ShapeDifference($"extra column {extra.Name} {extra.Type} NOT NULL without a default",
                    "every insert of the migration would fail (it writes only its own columns): give the column a default or drop NOT NULL", Blocks: true)
                : new ShapeDifference($"extra column {extra.Name} {extra.Type}",
                    $"not written by the migration: imported bars get {(extra.Default is { } d ? $"its default ({d})" : "NULL")}"));
        }

        foreach (var check in shape.Checks)
        {
            differences.Add(new ShapeDifference($"CHECK constraint {check}",
                "refuses only bars the migration already rejects with a reason (high < low, open/close outside [low, high], negative volume; the -1 \"no volume\" marker is stored as 0)"));
        }

        if (!shape.HasUniqueSeriesKey)
        {
            differences.Add(new ShapeDifference("no primary key or unique index on (symbol, timeframe, time)",
                "imports stay idempotent without it (each series is written under an advisory lock, after comparing with the stored bars), but nothing in the database stops another writer from storing a bar twice; './ktrdr db migrate --add-unique-key' checks for duplicates and creates the key"));
        }

        differences.AddRange(TimescaleDifferences(shape, chunkInterval));
        return differences;
    }

    private static IEnumerable<ShapeDifference> ColumnDifference(TableColumn? column, string name, string type)
    {
        if (column is null)
        {
            yield return new ShapeDifference($"column {name} is missing", $"the migration writes {name} ({type}): add the column", Blocks: true);
            yield break;
        }

        if (column.Type == type)
        {
            yield break;
        }

        if (type == "text" && column.MaxLength is { } length)
        {
            yield return new ShapeDifference($"{name} is {column.Type}, not text",
                string.Create(CultureInfo.InvariantCulture, $"a file whose {name} is longer than {length} characters fails, with a message naming the column; the others import"));
        }
        else if (type == "text" && column.Type.StartsWith("character varying", StringComparison.Ordinal))
        {
            yield return new ShapeDifference($"{name} is {column.Type}, not text", "the same values fit: nothing changes for a migration");
        }
        else
        {
            yield return new ShapeDifference($"{name} is {column.Type}, not {type}",
                $"values would be converted on the way in and could then differ from the files: change the column to {type}", Blocks: true);
        }
    }

    private static IEnumerable<ShapeDifference> TimescaleDifferences(PriceDataShape shape, TimeSpan chunkInterval)
    {
        if (shape.Dimensions.FirstOrDefault(d => d.Kind == "Time") is { Interval: { } interval } && interval != chunkInterval)
        {
            yield return new ShapeDifference(string.Create(CultureInfo.InvariantCulture, $"chunk interval {interval.TotalDays:0.##} days"),
                string.Create(CultureInfo.InvariantCulture, $"'db migrate' sets TSDB_CHUNK_INTERVAL ({chunkInterval.TotalDays:0.##} days) for chunks created from now on; existing chunks keep theirs (docs/timeseries-data/CHUNK_INTERVAL.md)"));
        }

        if (shape.IsHypertable && shape.CompressionSegmentBy is null)
        {
            yield return new ShapeDifference("no compression",
                "'db migrate' turns it on (segment by symbol, timeframe; order by time) with a policy compressing chunks older than TSDB_COMPRESS_AFTER, unless TSDB_COMPRESSION=false");
        }

        foreach (var space in shape.Dimensions.Where(d => d.Kind == "Space"))
        {
            yield return new ShapeDifference($"space dimension on {space.Column} ({space.Partitions} partitions)",
                "handled: a series' bars go to one partition per time range; writes and ordered reads by series work unchanged");
        }

        if (shape.Retention is { } retention)
        {
            yield return new ShapeDifference(retention.Describe(),
                "deletes bars older than the cutoff at its next run: 'migrate' stops before writing when planned files hold such bars, and asks for --drop-retention-policy or --skip-older-than-retention");
        }

        foreach (var aggregate in shape.ContinuousAggregates)
        {
            yield return new ShapeDifference($"continuous aggregate {aggregate}",
                "reads price_data: imported bars appear in it at its next refresh (or CALL refresh_continuous_aggregate)");
        }
    }
}

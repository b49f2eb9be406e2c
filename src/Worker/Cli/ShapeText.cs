using System.Globalization;
using Ktrdr.Backends.Timescale;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// The lines <c>db status</c> prints about <c>price_data</c> itself: columns, constraints, keys, indexes, dimensions,
/// compression settings and the policies and continuous aggregates acting on it.
/// </summary>
internal static class ShapeText
{
    public static IEnumerable<string> Lines(PriceDataShape shape)
    {
        if (!shape.Exists)
        {
            yield return "price_data: no such table (run './ktrdr db migrate')";
            yield break;
        }

        yield return "price_data columns:";
        foreach (var c in shape.Columns)
        {
            yield return $"  {c.Name} {c.Type}{(c.NotNull ? " NOT NULL" : "")}{(c.Default is { } d ? $" DEFAULT {d}" : "")}";
        }

        yield return shape.Checks.Count == 0 ? "check constraints: none" : "check constraints:";
        foreach (var check in shape.Checks)
        {
            yield return $"  {check}";
        }

        yield return shape.HasUniqueSeriesKey
            ? "unique key on (symbol, timeframe, time): yes"
            : "unique key on (symbol, timeframe, time): NONE (imports stay idempotent; './ktrdr db migrate --add-unique-key' creates one)";
        yield return "indexes:";
        foreach (var index in shape.Indexes)
        {
            yield return $"  {index.Definition}";
        }

        foreach (var line in TimescaleLines(shape))
        {
            yield return line;
        }
    }

    private static IEnumerable<string> TimescaleLines(PriceDataShape shape)
    {
        if (!shape.IsHypertable)
        {
            yield break;
        }

        yield return "dimensions: " + string.Join("; ", shape.Dimensions.Select(d => d.Kind == "Space"
            ? $"space on {d.Column} ({d.Partitions} partitions)"
            : string.Create(CultureInfo.InvariantCulture, $"time on {d.Column} (chunk interval {Interval(d.Interval)})")));
        yield return shape.CompressionSegmentBy is null && shape.CompressionOrderBy is null
            ? "compression settings: none"
            : $"compression settings: segment by {shape.CompressionSegmentBy ?? "(none)"}, order by {shape.CompressionOrderBy ?? "(none)"}";
        yield return shape.Policies.Count == 0 ? "policies: none" : "policies:";
        foreach (var p in shape.Policies)
        {
            yield return $"  job {p.JobId} {p.Kind} on {p.Target}: {p.Config ?? "{}"}, every {Interval(p.Schedule)}{(p.Scheduled ? "" : " (paused)")}";
        }

        if (shape.Retention is { } retention)
        {
            yield return $"retention: {retention.Describe()}; 'migrate' stops when planned bars are older than the cutoff";
        }

        yield return shape.ContinuousAggregates.Count == 0
            ? "continuous aggregates: none"
            : $"continuous aggregates: {string.Join(", ", shape.ContinuousAggregates)}";
    }

    private static string Interval(TimeSpan? interval) => StatusText.Interval(interval, "?");
}

using System.Globalization;
using Ktrdr.Backends.Timescale;

namespace Ktrdr.Worker.Cli;

/// <summary>The lines <c>db status</c> and <c>db migrate</c> print about the server, the mode and the hypertable's shape.</summary>
internal static class StatusText
{
    public static IEnumerable<string> Lines(DatabaseStatus status)
    {
        var setting = $"TSDB_ENABLED={Setting(status.Setting)}";
        yield return $"server: PostgreSQL {status.ServerVersion}";
        yield return status switch
        {
            { TimescaleVersion: { } version } => $"timescaledb: {version} ({setting})",
            { TimescaleOffered: true, Setting: TimescaleSetting.Disabled } => $"timescaledb: available on this server, not used ({setting})",
            { TimescaleOffered: true } => $"timescaledb: available, not installed (run './ktrdr db migrate') ({setting})",
            _ => $"timescaledb: not available on this server ({setting})",
        };

        if (status.Shape is not { } shape)
        {
            var why = status.Setting == TimescaleSetting.Disabled ? "chosen with TSDB_ENABLED=false"
                : status.TimescaleOffered ? "TimescaleDB not applied yet: run './ktrdr db migrate'"
                : "the server has no TimescaleDB";
            yield return $"mode: {Mode(status)} (price_data is a plain table: no hypertable, no chunks, no compression; {why})";
            yield return $"price_data: {Rows(status.PlainRows)}, {Bytes(status.PlainBytes)}";
            yield break;
        }

        yield return $"mode: {Mode(status)} (price_data is a hypertable; compression {OnOff(status.CompressionEnabled)}, policy {OnOff(status.CompressionPolicy)})";
        var span = shape.FirstChunkStart is { } first && shape.LastChunkEnd is { } last
            ? $" covering {Day(first)} to {Day(last)}"
            : "";
        yield return $"chunks: {N(shape.Chunks)} of {Interval(shape.ChunkInterval)}{span}; {N(shape.CompressedChunks)} compressed, {N(shape.UncompressedChunks)} uncompressed";
        yield return shape.ApproximateRowsPerChunk is { } perChunk
            ? $"rows: {Rows(shape.ApproximateRows)}, about {N(perChunk)} per chunk"
            : $"rows: {Rows(shape.ApproximateRows)}";
        yield return shape.CompressionRatio is { } ratio
            ? string.Create(CultureInfo.InvariantCulture,
                $"size: {Bytes(shape.TotalBytes)} now; the {N(shape.CompressedChunks)} compressed chunk(s): {Bytes(shape.BytesBeforeCompression)} before, {Bytes(shape.BytesAfterCompression)} after compression (ratio {ratio:0.0}:1)")
            : $"size: {Bytes(shape.TotalBytes)} now; no chunk compressed yet";
    }

    /// <summary>What serves <c>price_data</c>: <c>timescaledb</c> (a hypertable) or <c>postgresql</c> (a plain table).</summary>
    public static string Mode(DatabaseStatus status) => status.IsHypertable ? "timescaledb" : "postgresql";

    private static string Rows(long rows) =>
        rows > 0 ? $"~{N(rows)} rows (approximate, from the planner's statistics)" : "row count not estimated yet (run ANALYZE price_data)";

    private static string Setting(TimescaleSetting setting) => setting switch
    {
        TimescaleSetting.Required => "true",
        TimescaleSetting.Disabled => "false",
        _ => "auto",
    };

    /// <summary>A chunk interval in whole days where it is whole days (<c>90 days</c>); <paramref name="unknown"/> for null.</summary>
    internal static string Interval(TimeSpan? interval, string unknown = "an unknown interval") => interval switch
    {
        null => unknown,
        { } i when i.Ticks % TimeSpan.TicksPerDay == 0 => string.Create(CultureInfo.InvariantCulture, $"{(long)i.TotalDays} days"),
        { } i => i.ToString("c", CultureInfo.InvariantCulture),
    };

    private static string Day(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string OnOff(bool value) => value ? "on" : "off";

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}

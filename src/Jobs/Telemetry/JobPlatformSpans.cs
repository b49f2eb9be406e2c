using System.Diagnostics;
using Ktrdr.Backends.Telemetry;

namespace Ktrdr.Jobs.Telemetry;

/// <summary>
/// The platform observability spec's span and attribute names for the migration's steps (<c>csv_import.*</c>,
/// <c>migration.verify_data</c>, <c>migration.compare_csv_db</c>, <c>operation.*</c>), so that its Jaeger queries and
/// dashboards find our work. The stores' own names (<c>timescaledb.*</c>, <c>data.repository.*</c>) stay with
/// <see cref="PlatformSpans"/> in Backends; the mapping is in docs/observability-and-security.md.
/// </summary>
public static class JobPlatformSpans
{
    /// <summary>One migration run as a whole, across every process that imported one of its files.</summary>
    public const string ImportAll = "csv_import.import_all";

    /// <summary>The files (symbols and timeframes) of the data directory found and planned.</summary>
    public const string DiscoverSymbols = "csv_import.discover_symbols";

    /// <summary>One committed batch of a file's lines.</summary>
    public const string InsertBatch = "csv_import.insert_batch";

    /// <summary>A run's (or <c>./ktrdr verify</c>'s) comparison of every file with the database.</summary>
    public const string VerifyData = "migration.verify_data";

    /// <summary>One file compared with the database.</summary>
    public const string CompareCsvDb = "migration.compare_csv_db";

    public const string TotalSymbols = "csv_import.total_symbols";
    /// <summary>Bars written, per file and per committed batch.</summary>
    public const string RowsImported = "csv_import.rows_imported";

    public const string TotalRowsImported = "csv_import.total_rows_imported";
    public const string TotalRowsSkipped = "csv_import.total_rows_skipped";
    public const string WarningsCount = "csv_import.warnings_count";
    public const string RowsSkipped = "csv_import.rows_skipped";
    public const string Warnings = "csv_import.warnings";
    public const string DurationMs = "csv_import.duration_ms";
    public const string OperationId = "operation.id";
    public const string OperationType = "operation.type";
    public const string DataMigration = "DATA_MIGRATION";

    /// <summary>The platform's per-file attributes, from one file's counts.</summary>
    /// <param name="activity">The span, or null.</param>
    /// <param name="imported">Bars written.</param>
    /// <param name="skipped">Lines read and not written: present, conflicting, rejected, outside the range.</param>
    /// <param name="warnings">Lines that need a person's look: rejected and conflicting.</param>
    /// <param name="elapsed">How long the work took.</param>
    public static void SetFileCounts(Activity? activity, long imported, long skipped, long warnings, TimeSpan elapsed)
    {
        activity?.SetTag(RowsImported, imported);
        activity?.SetTag(RowsSkipped, skipped);
        activity?.SetTag(Warnings, warnings);
        activity?.SetTag(DurationMs, (long)elapsed.TotalMilliseconds);
    }
}

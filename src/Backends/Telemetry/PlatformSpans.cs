using System.Diagnostics;

namespace Ktrdr.Backends.Telemetry;

/// <summary>
/// The span and attribute names of the platform's observability spec for this migration, so that its Jaeger queries
/// and dashboards find our work. Emitted beside ours (<see cref="KtrdrActivity"/>, same source): where the platform
/// names a step we also trace under our own name, its span is the child of ours around the same work; where the names
/// agree (<c>csv_import.import_symbol</c>, <c>timescaledb.save_data</c>, <c>timescaledb.load_data</c>) one span carries
/// both sets of attributes. The mapping, and why there is no span per row (<c>csv_import.check_exists</c>), is in
/// docs/observability-and-security.md.
/// </summary>
public static class PlatformSpans
{
    /// <summary>One migration run as a whole, across every process that imported one of its files.</summary>
    public const string ImportAll = "csv_import.import_all";

    /// <summary>The files (symbols and timeframes) of the data directory found and planned.</summary>
    public const string DiscoverSymbols = "csv_import.discover_symbols";

    /// <summary>One committed batch of a file's lines.</summary>
    public const string InsertBatch = "csv_import.insert_batch";

    /// <summary>The writing transaction of a batch (advisory lock, stored-bar walk, binary COPY, merge).</summary>
    public const string TimescaleInsert = "timescaledb.insert";

    /// <summary>One read statement on <c>price_data</c>.</summary>
    public const string TimescaleQuery = "timescaledb.query";

    /// <summary>A run's (or <c>./ktrdr verify</c>'s) comparison of every file with the database.</summary>
    public const string VerifyData = "migration.verify_data";

    /// <summary>One file compared with the database.</summary>
    public const string CompareCsvDb = "migration.compare_csv_db";

    public const string RepositoryLoad = "data.repository.load";
    public const string RepositoryListSymbols = "data.repository.list_symbols";

    public const string DataSymbol = "data.symbol";
    public const string DataTimeframe = "data.timeframe";
    public const string TotalSymbols = "csv_import.total_symbols";
    public const string TotalRowsImported = "csv_import.total_rows_imported";
    public const string TotalRowsSkipped = "csv_import.total_rows_skipped";
    public const string WarningsCount = "csv_import.warnings_count";
    public const string RowsImported = "csv_import.rows_imported";
    public const string RowsSkipped = "csv_import.rows_skipped";
    public const string Warnings = "csv_import.warnings";
    public const string DurationMs = "csv_import.duration_ms";
    public const string OperationId = "operation.id";
    public const string OperationType = "operation.type";
    public const string DataMigration = "DATA_MIGRATION";
    public const string DbSystem = "db.system";
    public const string DbName = "db.name";
    public const string DbOperation = "db.operation";
    public const string DbRowsAffected = "db.rows_affected";

    /// <summary>Starts a platform span about one series (<c>data.symbol</c>, <c>data.timeframe</c>); null when nobody listens.</summary>
    public static Activity? Start(string name, SeriesKey key)
    {
        var activity = KtrdrActivity.Source.StartActivity(name);
        activity?.SetTag(DataSymbol, key.Symbol);
        activity?.SetTag(DataTimeframe, key.Timeframe);
        return activity;
    }

    /// <summary>Starts a <c>timescaledb.query</c> or <c>timescaledb.insert</c> span with the database attributes.</summary>
    public static Activity? StartDb(string name, string database, string operation, SeriesKey? key = null)
    {
        var activity = KtrdrActivity.Source.StartActivity(name, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag(DbSystem, "postgresql");
            activity.SetTag(DbName, database);
            activity.SetTag(DbOperation, operation);
            if (key is { } k)
            {
                activity.SetTag(KtrdrActivity.Symbol, k.Symbol);
                activity.SetTag(KtrdrActivity.Timeframe, k.Timeframe);
            }
        }

        return activity;
    }

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

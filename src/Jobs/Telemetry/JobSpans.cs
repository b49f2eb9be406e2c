namespace Ktrdr.Jobs.Telemetry;

/// <summary>
/// The span and attribute names of the migration's own traces (the seed's <c>csv_import.import_symbol</c>, and ours:
/// <c>migration.run</c>, <c>migration.verify_run</c>, <c>verify</c>), emitted on the worker's one source
/// (<see cref="Backends.Telemetry.KtrdrActivity"/>), beside the platform's names (<see cref="JobPlatformSpans"/>).
/// </summary>
public static class JobSpans
{
    /// <summary>One file imported (the seed's span).</summary>
    public const string ImportSymbol = "csv_import.import_symbol";

    /// <summary>A migration run created and its import jobs enqueued; the imports are its children.</summary>
    public const string MigrationRun = "migration.run";

    /// <summary>The verification job of a run.</summary>
    public const string VerifyRun = "migration.verify_run";

    /// <summary>One file compared with the database (the verification job and <c>./ktrdr verify</c> alike).</summary>
    public const string Verify = "verify";

    public const string RunId = "ktrdr.run_id";
    public const string ItemId = "ktrdr.item_id";
    public const string FilePath = "ktrdr.file.path";
    public const string Files = "ktrdr.files";
    public const string RowsRead = "ktrdr.rows.read";
    public const string RowsRejected = "ktrdr.rows.rejected";
    public const string RowsOutsideRange = "ktrdr.rows.outside_range";
    public const string CsvRows = "ktrdr.verify.csv_rows";
    public const string DbRows = "ktrdr.verify.db_rows";
    public const string Mismatches = "ktrdr.verify.mismatches";
    public const string Matches = "ktrdr.verify.matches";
}

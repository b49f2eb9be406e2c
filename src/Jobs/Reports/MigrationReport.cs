namespace Ktrdr.Jobs.Reports;

/// <summary>The results of one migration run: what MIGRATION_RESULTS.md and the JSON file hold.</summary>
public sealed record MigrationReport(
    long RunId,
    DateTime GeneratedAt,
    DateTime StartedAt,
    string DataDir,
    string Status,
    ReportSummary Summary,
    IReadOnlyList<ReportItem> Items,
    IReadOnlyList<ReportRejections> Rejections)
{
    public bool Success => Status == "success";
}

/// <summary>Totals of a run. <c>TotalRows</c> is the number of data lines read from the files.</summary>
public sealed record ReportSummary(
    int TotalSeries,
    int TotalSymbols,
    int Successful,
    int Failed,
    double SuccessRate,
    long TotalRows,
    long Inserted,
    long AlreadyPresent,
    long Conflicting,
    long Rejected,
    long Normalized,
    double DurationSeconds,
    double RowsPerSecond);

/// <summary>One file of the run.</summary>
public sealed record ReportItem(
    string Symbol,
    string Timeframe,
    string FilePath,
    long Read,
    long Inserted,
    long AlreadyPresent,
    long Conflicting,
    long Rejected,
    long Normalized,
    DateTime? StartDate,
    DateTime? EndDate,
    double DurationSeconds,
    string Status,
    int Attempts,
    string? Error,
    string? Verification);

/// <summary>The rejected lines of one file: counts by reason and the first lines.</summary>
public sealed record ReportRejections(
    string Symbol,
    string Timeframe,
    string FilePath,
    IReadOnlyDictionary<string, long> ByReason,
    IReadOnlyList<ReportRejectedLine> First);

/// <summary>A rejected line as the report shows it.</summary>
public sealed record ReportRejectedLine(long Line, string Reason, string RawLine);

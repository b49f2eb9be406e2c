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

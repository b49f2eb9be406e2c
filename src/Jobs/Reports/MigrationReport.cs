namespace Ktrdr.Jobs.Reports;

/// <summary>The results of one migration run: what MIGRATION_RESULTS.md and the JSON file hold.</summary>
public sealed record MigrationReport(
    long RunId,
    DateTime GeneratedAt,
    DateTime StartedAt,
    string DataDir,
    ReportStatus Status,
    ReportSummary Summary,
    IReadOnlyList<ReportItem> Items,
    IReadOnlyList<ReportRejections> Rejections)
{
    /// <summary>Things to know about the input that are not failures, such as symbols that differ only in case.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The data-quality findings of the run's series (warnings: they never change <see cref="Status"/>).</summary>
    public Quality.QualityReport? Quality { get; init; }

    /// <summary>The run's range (gap filling): the bars imported and verified; null for whole files.</summary>
    public ReportRange? Range { get; init; }

    public bool Success => Status == ReportStatus.Success;
}

namespace Ktrdr.Jobs.Reports;

/// <summary>The rejected lines of one file: counts by reason and the first lines.</summary>
public sealed record ReportRejections(
    string Symbol,
    string Timeframe,
    string FilePath,
    IReadOnlyDictionary<string, long> ByReason,
    IReadOnlyList<ReportRejectedLine> First);

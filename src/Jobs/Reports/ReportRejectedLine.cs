namespace Ktrdr.Jobs.Reports;

/// <summary>A rejected line as the report shows it.</summary>
public sealed record ReportRejectedLine(long Line, string Reason, string RawLine);

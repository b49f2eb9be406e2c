namespace Ktrdr.Jobs.Reports;

/// <summary>The range of a gap-filling run as the report states it.</summary>
/// <param name="Start">First instant imported (inclusive, UTC), or null for no lower bound.</param>
/// <param name="End">First instant no longer imported (exclusive, UTC), or null for no upper bound.</param>
/// <param name="Description">The same in words, saying which bound is included.</param>
public sealed record ReportRange(DateTime? Start, DateTime? End, string Description);

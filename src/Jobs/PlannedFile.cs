namespace Ktrdr.Jobs;

/// <summary>One file of a plan.</summary>
public sealed record PlannedFile(string Symbol, string Timeframe, string Path, long Size, long EstimatedRows);

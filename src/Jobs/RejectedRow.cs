namespace Ktrdr.Jobs;

/// <summary>A line of a file that was not imported, and why.</summary>
public sealed record RejectedRow(long ItemId, long Line, string FilePath, string RawLine, string Reason);

namespace Ktrdr.Jobs;

/// <summary>A <c>.csv</c> file of the data directory that a migration leaves out, and why.</summary>
public sealed record SkippedFile(string Name, string Reason);

namespace Ktrdr.Jobs;

/// <summary>What a migration covers. Empty lists mean "all found in the data directory".</summary>
public sealed record MigrationRequest(string DataDir, string ReportDir, IReadOnlyList<string> Timeframes, IReadOnlyList<string> Symbols);

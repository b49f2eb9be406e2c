namespace Ktrdr.Jobs;

/// <summary>What a migration covers. Empty lists mean "all found in the data directory".</summary>
/// <param name="DataDir">The data directory.</param>
/// <param name="ReportDir">Where the report goes.</param>
/// <param name="Timeframes">Timeframes to import; empty for all.</param>
/// <param name="Symbols">Symbols to import; empty for all.</param>
/// <param name="FollowSymlinks">Import symbolic links to files outside the data directory too (skipped otherwise).</param>
public sealed record MigrationRequest(string DataDir, string ReportDir, IReadOnlyList<string> Timeframes, IReadOnlyList<string> Symbols,
    bool FollowSymlinks = false)
{
    /// <summary>Only the bars of this range (gap filling); the other lines are counted as outside the range.</summary>
    public ImportRange Range { get; init; } = ImportRange.All;
}

namespace Ktrdr.Jobs;

/// <summary>A migration run, as stored in <c>migration_runs</c> (read through <see cref="MigrationRunRow"/>).</summary>
public sealed record MigrationRun
{
    public long Id { get; init; }
    public DateTime StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public string DataDir { get; init; } = "";
    public string ReportDir { get; init; } = "";
    public string[] Timeframes { get; init; } = [];
    public string[] Symbols { get; init; } = [];
    public RunState State { get; init; } = RunState.Importing;
    public bool VerificationEnqueued { get; init; }
    public string? VerificationJobId { get; init; }
    public string? ReportPath { get; init; }
    public string? Error { get; init; }

    /// <summary>Start of the run's range (inclusive, UTC), or null; see <see cref="Range"/>.</summary>
    public DateTime? RangeStart { get; init; }

    /// <summary>End of the run's range (exclusive, UTC), or null; see <see cref="Range"/>.</summary>
    public DateTime? RangeEnd { get; init; }

    /// <summary>The bars the run imports (gap filling); <see cref="ImportRange.All"/> for whole files.</summary>
    public ImportRange Range => new(RangeStart, RangeEnd);
}

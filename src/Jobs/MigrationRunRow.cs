namespace Ktrdr.Jobs;

/// <summary>
/// A <c>migration_runs</c> row as Dapper reads it, turned into a <see cref="MigrationRun"/> in one place (the state
/// text through <see cref="RunStateText"/>).
/// </summary>
internal sealed record MigrationRunRow
{
    public long Id { get; init; }
    public DateTime StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public string DataDir { get; init; } = "";
    public string ReportDir { get; init; } = "";
    public string[] Timeframes { get; init; } = [];
    public string[] Symbols { get; init; } = [];
    public string State { get; init; } = "";
    public bool VerificationEnqueued { get; init; }
    public string? VerificationJobId { get; init; }
    public string? ReportPath { get; init; }
    public string? Error { get; init; }
    public DateTime? RangeStart { get; init; }
    public DateTime? RangeEnd { get; init; }

    /// <exception cref="FormatException">The state column holds a text no <see cref="RunState"/> has.</exception>
    public MigrationRun ToRun() => new()
    {
        Id = Id, StartedAt = StartedAt, FinishedAt = FinishedAt, DataDir = DataDir, ReportDir = ReportDir, Timeframes = Timeframes, Symbols = Symbols,
        State = RunStateText.Parse(State), VerificationEnqueued = VerificationEnqueued, VerificationJobId = VerificationJobId, ReportPath = ReportPath,
        Error = Error, RangeStart = RangeStart, RangeEnd = RangeEnd,
    };
}

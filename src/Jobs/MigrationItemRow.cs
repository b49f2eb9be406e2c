namespace Ktrdr.Jobs;

/// <summary>
/// A <c>migration_items</c> row as Dapper reads it (columns aliased to these names), turned into a
/// <see cref="MigrationItem"/> in one place: the state text through <see cref="ItemStateText"/>, the count columns
/// into one <see cref="ItemCounts"/>.
/// </summary>
internal sealed record MigrationItemRow
{
    public long Id { get; init; }
    public long RunId { get; init; }
    public string Symbol { get; init; } = "";
    public string Timeframe { get; init; } = "";
    public string FilePath { get; init; } = "";
    public long FileSize { get; init; }
    public string State { get; init; } = "";
    public string? JobId { get; init; }
    public int Attempts { get; init; }
    public long RowsDone { get; init; }
    public long? RowsRead { get; init; }
    public long? Inserted { get; init; }
    public long? AlreadyPresent { get; init; }
    public long? Conflicting { get; init; }
    public long? Rejected { get; init; }
    public long? Normalized { get; init; }
    public long? OutsideRange { get; init; }
    public long? OlderThanRetention { get; init; }
    public DateTime? FirstTime { get; init; }
    public DateTime? LastTime { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public string? Error { get; init; }
    public bool? Verified { get; init; }
    public string? VerifyMessage { get; init; }
    public string? Checkpoint { get; init; }
    public DateTime? RangeStart { get; init; }
    public DateTime? RangeEnd { get; init; }
    public DateTime? RetentionCutoff { get; init; }
    public DateTime? OlderFirstTime { get; init; }
    public DateTime? OlderLastTime { get; init; }

    /// <exception cref="FormatException">The state column holds a text no <see cref="ItemState"/> has.</exception>
    public MigrationItem ToItem() => new()
    {
        Id = Id, RunId = RunId, Symbol = Symbol, Timeframe = Timeframe, FilePath = FilePath, FileSize = FileSize,
        State = ItemStateText.Parse(State), JobId = JobId, Attempts = Attempts, RowsDone = RowsDone,
        // rows_read is written with the other counts when an import finishes; a count column added later (outside_range,
        // older_than_retention) is NULL on rows finished before it existed, and such a file had none of those lines.
        Counts = RowsRead is { } read
            ? new ItemCounts
            {
                Read = read, Inserted = Inserted ?? 0, AlreadyPresent = AlreadyPresent ?? 0, Conflicting = Conflicting ?? 0, Rejected = Rejected ?? 0,
                Normalized = Normalized ?? 0, OutsideRange = OutsideRange ?? 0, OlderThanRetention = OlderThanRetention ?? 0,
            }
            : null,
        FirstTime = FirstTime, LastTime = LastTime, StartedAt = StartedAt, FinishedAt = FinishedAt, Error = Error, Verified = Verified,
        VerifyMessage = VerifyMessage, Checkpoint = Checkpoint, RangeStart = RangeStart, RangeEnd = RangeEnd, RetentionCutoff = RetentionCutoff,
        OlderFirstTime = OlderFirstTime, OlderLastTime = OlderLastTime,
    };
}

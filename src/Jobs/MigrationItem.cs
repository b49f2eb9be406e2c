namespace Ktrdr.Jobs;

/// <summary>One (symbol, timeframe) file of a run, as stored in <c>migration_items</c> (read through <see cref="MigrationItemRow"/>).</summary>
public sealed record MigrationItem
{
    public long Id { get; init; }
    public long RunId { get; init; }
    public string Symbol { get; init; } = "";
    public string Timeframe { get; init; } = "";
    public string FilePath { get; init; } = "";
    public long FileSize { get; init; }
    public ItemState State { get; init; } = ItemState.Enqueued;
    public string? JobId { get; init; }
    public int Attempts { get; init; }
    public long RowsDone { get; init; }

    /// <summary>What became of the file's lines; null until the import finishes.</summary>
    public ItemCounts? Counts { get; init; }

    public DateTime? FirstTime { get; init; }
    public DateTime? LastTime { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public string? Error { get; init; }
    public bool? Verified { get; init; }
    public string? VerifyMessage { get; init; }

    /// <summary>The resume point of an import under way (JSON of <see cref="ImportCheckpoint"/>), or null.</summary>
    public string? Checkpoint { get; init; }

    /// <summary>Start of the run's range (inclusive, UTC), or null; see <see cref="Range"/>.</summary>
    public DateTime? RangeStart { get; init; }

    /// <summary>End of the run's range (exclusive, UTC), or null; see <see cref="Range"/>.</summary>
    public DateTime? RangeEnd { get; init; }

    /// <summary>The run's range (from <c>migration_runs</c>): the bars this item imports.</summary>
    public ImportRange Range => new(RangeStart, RangeEnd);

    /// <summary>Bars before this time are left out as older than retention (<c>migrate --skip-older-than-retention</c>); null: none.</summary>
    public DateTime? RetentionCutoff { get; init; }

    /// <summary>Earliest bar left out as older than retention.</summary>
    public DateTime? OlderFirstTime { get; init; }

    /// <summary>Latest bar left out as older than retention.</summary>
    public DateTime? OlderLastTime { get; init; }

    public bool IsFinal => State.IsFinal();

    // The counts by name, null until the import finishes (Counts holds them).
    public long? RowsRead => Counts?.Read;

    public long? Inserted => Counts?.Inserted;

    public long? AlreadyPresent => Counts?.AlreadyPresent;

    public long? Conflicting => Counts?.Conflicting;

    public long? Rejected => Counts?.Rejected;

    public long? Normalized => Counts?.Normalized;

    public long? OutsideRange => Counts?.OutsideRange;

    public long? OlderThanRetention => Counts?.OlderThanRetention;
}

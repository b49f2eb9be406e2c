namespace Ktrdr.Jobs;

/// <summary>One (symbol, timeframe) file of a run, as stored in <c>migration_items</c>.</summary>
public sealed record MigrationItem
{
    public long Id { get; init; }
    public long RunId { get; init; }
    public string Symbol { get; init; } = "";
    public string Timeframe { get; init; } = "";
    public string FilePath { get; init; } = "";
    public long FileSize { get; init; }
    public string State { get; init; } = ItemStates.Enqueued;
    public string? JobId { get; init; }
    public int Attempts { get; init; }
    public long RowsDone { get; init; }
    public long? RowsRead { get; init; }
    public long? Inserted { get; init; }
    public long? AlreadyPresent { get; init; }
    public long? Conflicting { get; init; }
    public long? Rejected { get; init; }
    public long? Normalized { get; init; }
    public DateTime? FirstTime { get; init; }
    public DateTime? LastTime { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public string? Error { get; init; }
    public bool? Verified { get; init; }
    public string? VerifyMessage { get; init; }

    /// <summary>The resume point of an import under way (JSON of <see cref="ImportCheckpoint"/>), or null.</summary>
    public string? Checkpoint { get; init; }

    /// <summary>Lines whose bar lies outside the run's range (gap filling); null until the import finishes.</summary>
    public long? OutsideRange { get; init; }

    /// <summary>Start of the run's range (inclusive, UTC), or null; see <see cref="Range"/>.</summary>
    public DateTime? RangeStart { get; init; }

    /// <summary>End of the run's range (exclusive, UTC), or null; see <see cref="Range"/>.</summary>
    public DateTime? RangeEnd { get; init; }

    /// <summary>The run's range (from <c>migration_runs</c>): the bars this item imports.</summary>
    public ImportRange Range => new(RangeStart, RangeEnd);

    /// <summary>Bars before this time are left out as older than retention (<c>migrate --skip-older-than-retention</c>); null: none.</summary>
    public DateTime? RetentionCutoff { get; init; }

    /// <summary>Bars left out as older than <see cref="RetentionCutoff"/>.</summary>
    public long? OlderThanRetention { get; init; }

    /// <summary>Earliest bar left out as older than retention.</summary>
    public DateTime? OlderFirstTime { get; init; }

    /// <summary>Latest bar left out as older than retention.</summary>
    public DateTime? OlderLastTime { get; init; }

    public bool IsFinal => State is ItemStates.Succeeded or ItemStates.Failed;
}

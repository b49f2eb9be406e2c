namespace Ktrdr.Jobs;

/// <summary>
/// What importing one file did: its <see cref="Counts"/> (which always balance: every data line of the file is in
/// exactly one count) and the span of its bars.
/// </summary>
public sealed record ImportOutcome
{
    public ImportOutcome(ItemCounts counts, DateTime? firstTime, DateTime? lastTime)
    {
        Counts = counts;
        FirstTime = firstTime;
        LastTime = lastTime;
    }

    /// <summary>The counts one by one; <see cref="OutsideRange"/> and <see cref="OlderThanRetention"/> are set by initializer.</summary>
    public ImportOutcome(long read, long inserted, long alreadyPresent, long conflicting, long rejected, long normalized, DateTime? firstTime, DateTime? lastTime)
        : this(new ItemCounts
        {
            Read = read, Inserted = inserted, AlreadyPresent = alreadyPresent, Conflicting = conflicting, Rejected = rejected, Normalized = normalized,
        }, firstTime, lastTime)
    {
    }

    /// <summary>What became of the file's lines.</summary>
    public ItemCounts Counts { get; init; }

    /// <summary>Earliest bar time read, or null.</summary>
    public DateTime? FirstTime { get; init; }

    /// <summary>Latest bar time read, or null.</summary>
    public DateTime? LastTime { get; init; }

    /// <summary>Earliest bar left out as older than retention, or null.</summary>
    public DateTime? OlderFirstTime { get; init; }

    /// <summary>Latest bar left out as older than retention, or null.</summary>
    public DateTime? OlderLastTime { get; init; }

    // The counts by name, as the import reads them (Counts holds them).
    public long Read => Counts.Read;

    public long Inserted => Counts.Inserted;

    public long AlreadyPresent => Counts.AlreadyPresent;

    public long Conflicting => Counts.Conflicting;

    public long Rejected => Counts.Rejected;

    public long Normalized => Counts.Normalized;

    /// <summary>Data lines whose bar lies outside the run's <see cref="ImportRange"/> (gap filling): read, not imported.</summary>
    public long OutsideRange { get => Counts.OutsideRange; init => Counts = Counts with { OutsideRange = value }; }

    /// <summary>Good bars left out because they are older than a retention policy's cutoff (the run chose to skip them).</summary>
    public long OlderThanRetention { get => Counts.OlderThanRetention; init => Counts = Counts with { OlderThanRetention = value }; }

    /// <summary>See <see cref="ItemCounts.Balances"/>.</summary>
    public bool Balances => Counts.Balances;
}

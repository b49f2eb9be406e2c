namespace Ktrdr.Jobs;

/// <summary>
/// What importing one file did. <c>Read = Inserted + AlreadyPresent + Conflicting + Rejected + OutsideRange +
/// OlderThanRetention</c> always holds: every data line of the file is in exactly one count.
/// </summary>
public sealed record ImportOutcome(
    long Read,
    long Inserted,
    long AlreadyPresent,
    long Conflicting,
    long Rejected,
    long Normalized,
    DateTime? FirstTime,
    DateTime? LastTime)
{
    /// <summary>Data lines whose bar lies outside the run's <see cref="ImportRange"/> (gap filling): read, not imported.</summary>
    public long OutsideRange { get; init; }

    /// <summary>Good bars left out because they are older than a retention policy's cutoff (the run chose to skip them).</summary>
    public long OlderThanRetention { get; init; }

    /// <summary>Earliest bar left out as older than retention, or null.</summary>
    public DateTime? OlderFirstTime { get; init; }

    /// <summary>Latest bar left out as older than retention, or null.</summary>
    public DateTime? OlderLastTime { get; init; }

    public bool Balances => Read == Inserted + AlreadyPresent + Conflicting + Rejected + OutsideRange + OlderThanRetention;
}

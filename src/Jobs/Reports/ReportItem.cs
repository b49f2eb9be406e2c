namespace Ktrdr.Jobs.Reports;

/// <summary>One file of the run.</summary>
public sealed record ReportItem(
    string Symbol,
    string Timeframe,
    string FilePath,
    long Read,
    long Inserted,
    long AlreadyPresent,
    long Conflicting,
    long Rejected,
    long Normalized,
    DateTime? StartDate,
    DateTime? EndDate,
    double DurationSeconds,
    string Status,
    int Attempts,
    string? Error,
    string? Verification)
{
    /// <summary>Data lines whose timestamp had a time of day but no offset: taken as UTC.</summary>
    public long ReadAsUtc { get; init; }

    /// <summary>Data lines whose bar lies outside the run's range (gap filling): read, counted, not imported.</summary>
    public long OutsideRange { get; init; }

    /// <summary>Good bars left out as older than a retention policy's cutoff (the run's choice); part of <see cref="Read"/>.</summary>
    public long OlderThanRetention { get; init; }

    /// <summary>The cutoff bars were left out by, or null.</summary>
    public DateTime? RetentionCutoff { get; init; }

    /// <summary>Earliest bar left out as older than retention.</summary>
    public DateTime? OlderFirstTime { get; init; }

    /// <summary>Latest bar left out as older than retention.</summary>
    public DateTime? OlderLastTime { get; init; }
}

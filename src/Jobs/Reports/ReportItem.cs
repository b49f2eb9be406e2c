using System.Text.Json.Serialization;

namespace Ktrdr.Jobs.Reports;

/// <summary>One file of the run. The JSON report holds its counts flat (<c>read</c>, <c>inserted</c>, ...), as <see cref="Counts"/> has them.</summary>
public sealed record ReportItem
{
    public required string Symbol { get; init; }
    public required string Timeframe { get; init; }
    public required string FilePath { get; init; }

    /// <summary>What became of the file's lines (zero for a file whose import failed).</summary>
    [JsonIgnore]
    public ItemCounts Counts { get; init; }

    // The counts by name: the JSON's fields, in their order.
    public long Read => Counts.Read;

    public long Inserted => Counts.Inserted;

    public long AlreadyPresent => Counts.AlreadyPresent;

    public long Conflicting => Counts.Conflicting;

    public long Rejected => Counts.Rejected;

    public long Normalized => Counts.Normalized;

    public DateTime? StartDate { get; init; }
    public DateTime? EndDate { get; init; }
    public double DurationSeconds { get; init; }
    public required ReportItemStatus Status { get; init; }
    public int Attempts { get; init; }
    public string? Error { get; init; }
    public string? Verification { get; init; }

    /// <summary>Data lines whose timestamp had a time of day but no offset: taken as UTC.</summary>
    public long ReadAsUtc { get; init; }

    /// <summary>Data lines whose bar lies outside the run's range (gap filling): read, counted, not imported.</summary>
    public long OutsideRange => Counts.OutsideRange;

    /// <summary>Good bars left out as older than a retention policy's cutoff (the run's choice); part of <see cref="Read"/>.</summary>
    public long OlderThanRetention => Counts.OlderThanRetention;

    /// <summary>The cutoff bars were left out by, or null.</summary>
    public DateTime? RetentionCutoff { get; init; }

    /// <summary>Earliest bar left out as older than retention.</summary>
    public DateTime? OlderFirstTime { get; init; }

    /// <summary>Latest bar left out as older than retention.</summary>
    public DateTime? OlderLastTime { get; init; }
}

using System.Text.Json.Serialization;

namespace Ktrdr.Jobs.Reports;

/// <summary>
/// Totals of a run. <see cref="Counts"/> are the files' counts together: <c>TotalRows</c> (the data lines read) =
/// inserted + already present + conflicting + rejected + outside range + older than retention. The JSON report holds
/// them flat, in the order of the properties here.
/// </summary>
public sealed record ReportSummary
{
    public int TotalSeries { get; init; }
    public int TotalSymbols { get; init; }
    public int Successful { get; init; }
    public int Failed { get; init; }
    public double SuccessRate { get; init; }

    /// <summary>The counts of every file together.</summary>
    [JsonIgnore]
    public ItemCounts Counts { get; init; }

    public long TotalRows => Counts.Read;

    public long Inserted => Counts.Inserted;

    public long AlreadyPresent => Counts.AlreadyPresent;

    public long Conflicting => Counts.Conflicting;

    public long Rejected => Counts.Rejected;

    public long Normalized => Counts.Normalized;

    public double DurationSeconds { get; init; }
    public double RowsPerSecond { get; init; }

    /// <summary>Lines outside the run's range (gap filling).</summary>
    public long OutsideRange => Counts.OutsideRange;

    /// <summary>Bars left out as older than a retention policy's cutoff.</summary>
    public long OlderThanRetention => Counts.OlderThanRetention;
}

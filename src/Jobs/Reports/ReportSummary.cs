namespace Ktrdr.Jobs.Reports;

/// <summary>Totals of a run. <c>TotalRows</c> is the number of data lines read from the files.</summary>
public sealed record ReportSummary(
    int TotalSeries,
    int TotalSymbols,
    int Successful,
    int Failed,
    double SuccessRate,
    long TotalRows,
    long Inserted,
    long AlreadyPresent,
    long Conflicting,
    long Rejected,
    long Normalized,
    double DurationSeconds,
    double RowsPerSecond)
{
    /// <summary>Lines outside the run's range (gap filling); <c>TotalRows</c> = inserted + present + conflicting + rejected + this + OlderThanRetention.</summary>
    public long OutsideRange { get; init; }

    /// <summary>Bars left out as older than a retention policy's cutoff: <c>TotalRows = Inserted + AlreadyPresent + Conflicting + Rejected + OutsideRange + OlderThanRetention</c>.</summary>
    public long OlderThanRetention { get; init; }
}

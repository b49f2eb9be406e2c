using Ktrdr.Backends;

namespace Ktrdr.Jobs;

/// <summary>The result of comparing one CSV file with the database, bar by bar.</summary>
public sealed record SeriesComparison(
    SeriesKey Key,
    long CsvRows,
    long DbRows,
    DateTime? CsvFirst,
    DateTime? CsvLast,
    DateTime? DbFirst,
    DateTime? DbLast,
    long Mismatches,
    IReadOnlyList<string> FirstDifferences)
{
    /// <summary>
    /// Data lines of the file that are rightly not in the database: rejected as bad input, or exact repeats of a bar
    /// (the migration stores a bar once). Counted, never treated as differences.
    /// </summary>
    public long ExpectedAbsent { get; init; }

    /// <summary>Bars of the file outside the compared range (a gap-filling run's verification): not compared.</summary>
    public long OutsideRange { get; init; }

    /// <summary>Data lines whose timestamp had a time of day but no offset, read as UTC.</summary>
    public long ReadAsUtc { get; init; }

    /// <summary>
    /// Bars of the file before <see cref="RetentionCutoff"/> that the database does not hold: removed by a retention
    /// policy (or left out by the run's choice), not damage; not in <see cref="CsvRows"/>.
    /// </summary>
    public long RemovedByRetention { get; init; }

    /// <summary>The retention cutoff the comparison allowed for, or null without one.</summary>
    public DateTime? RetentionCutoff { get; init; }

    /// <summary>Same count, same timestamps, same values.</summary>
    public bool Matches => Mismatches == 0 && CsvRows == DbRows;

    public string Summary => (Matches
        ? $"{Key}: {CsvRows} bars match{(OutsideRange > 0 ? $" ({OutsideRange} bars of the file outside the run's range not compared)" : "")}"
        : $"{Key}: {Mismatches} difference(s); csv {CsvRows} bars, db {DbRows} bars; first: {string.Join("; ", FirstDifferences)}") + RetentionNote;

    private string RetentionNote => RemovedByRetention > 0 && RetentionCutoff is { } cutoff
        ? $"; {RemovedByRetention} bars before the retention cutoff {Ktrdr.Backends.Csv.CsvTimestamp.Format(cutoff)} are not in the database (removed or left out by retention policy, not damage)"
        : "";
}

using Ktrdr.Backends;

namespace Ktrdr.Jobs.Verification;

/// <summary>
/// The outcome of comparing the CSV store with the database, plus the database-wide checks. It passes when every
/// CSV series matches its database series bar for bar, no file was unreadable, and every integrity check holds.
/// Series only in the database (written after the cutover) are listed, not failed.
/// </summary>
public sealed record VerificationReport(
    IReadOnlyList<SeriesComparison> Series,
    IReadOnlyList<string> Unreadable,
    IReadOnlyList<SeriesKey> DatabaseOnly,
    IntegrityReport Integrity,
    TimeSpan CompareElapsed,
    TimeSpan Elapsed)
{
    /// <summary>Entries of the data directory not compared, with why (as the migration skips them): not a failure.</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];

    public bool Passed => Series.All(s => s.Matches) && Unreadable.Count == 0 && Integrity.Passed;

    /// <summary>Bars checked: those of the CSV side, each compared value by value with its database row.</summary>
    public long RowsCompared => Series.Sum(s => s.CsvRows);

    /// <summary>Comparison throughput (the integrity scan is timed apart, in <see cref="Elapsed"/>).</summary>
    public double RowsPerSecond => RowsCompared / Math.Max(CompareElapsed.TotalSeconds, 1e-3);
}

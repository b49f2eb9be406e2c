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
    /// <summary>Same count, same timestamps, same values.</summary>
    public bool Matches => Mismatches == 0 && CsvRows == DbRows;

    public string Summary => Matches
        ? $"{Key}: {CsvRows} bars match"
        : $"{Key}: {Mismatches} difference(s); csv {CsvRows} bars, db {DbRows} bars; first: {string.Join("; ", FirstDifferences)}";
}

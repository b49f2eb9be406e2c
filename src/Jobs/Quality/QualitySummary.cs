namespace Ktrdr.Jobs.Quality;

/// <summary>A stored check of one series: when, by what, and how many findings of each kind.</summary>
public sealed record QualitySummary(
    long Id,
    DateTime CheckedAt,
    string Source,
    long? RunId,
    string Symbol,
    string Timeframe,
    long Bars,
    long Findings,
    long MissingBars,
    long Allowed,
    IReadOnlyDictionary<string, long> Counts);

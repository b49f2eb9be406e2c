using System.Text.Json.Serialization;

namespace Ktrdr.Jobs.Quality;

/// <summary>
/// The quality findings of one series: every finding counted by kind (<see cref="Counts"/>), the first ones of each
/// kind kept (<see cref="Findings"/>, in time order), bars missing in gaps, findings the allow-list covered, and notes
/// on how the checks ran (the session used, weeks not judged).
/// </summary>
public sealed record SeriesQuality(
    string Symbol,
    string Timeframe,
    long Bars,
    DateTime? First,
    DateTime? Last,
    IReadOnlyDictionary<string, long> Counts,
    long MissingBars,
    long Allowed,
    IReadOnlyList<QualityFinding> Findings,
    IReadOnlyList<string> Notes)
{
    /// <summary>All findings, of every kind (more than <see cref="Findings"/> holds when some were not kept).</summary>
    public long Total => Counts.Values.Sum();

    /// <summary>The time-of-day profile at the end of the series, for the comparison across series; null for daily bars.</summary>
    [JsonIgnore]
    public double[]? HourProfile { get; init; }

    public long Count(string kind) => Counts.GetValueOrDefault(kind);

    /// <summary>This result with one more finding (not kept when the allow-list covers it, as for the checks' own).</summary>
    public SeriesQuality With(QualityFinding finding, QualityRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Ignores(new Backends.SeriesKey(Symbol, Timeframe), finding))
        {
            return this with { Allowed = Allowed + 1 };
        }

        var counts = Counts.ToDictionary();
        counts[finding.Kind] = counts.GetValueOrDefault(finding.Kind) + 1;
        return this with { Counts = counts, Findings = Findings.Append(finding).OrderBy(f => f.Start).ToList() };
    }
}

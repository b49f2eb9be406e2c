using Ktrdr.Backends;

namespace Ktrdr.Jobs.Quality;

/// <summary>
/// Where the checks of one series put their findings: the allow-list is applied, every finding is counted by kind, and
/// the first <c>keep</c> of each kind are kept (memory bounded however bad the series).
/// </summary>
internal sealed class FindingSink(SeriesKey key, QualityRules rules, int keep)
{
    private readonly Dictionary<string, List<QualityFinding>> _kept = [];

    public Dictionary<string, long> Counts { get; } = [];

    /// <summary>Bars missing in the gaps and missing days found.</summary>
    public long MissingBars { get; private set; }

    /// <summary>Findings an ignore rule covered.</summary>
    public long Allowed { get; private set; }

    public void Add(QualityFinding finding)
    {
        if (rules.Ignores(key, finding))
        {
            Allowed++;
            return;
        }

        Counts[finding.Kind] = Counts.GetValueOrDefault(finding.Kind) + 1;
        if (finding.Kind is QualityKinds.Gap or QualityKinds.MissingDay)
        {
            MissingBars += finding.Bars;
        }

        if (!_kept.TryGetValue(finding.Kind, out var list))
        {
            _kept[finding.Kind] = list = [];
        }

        if (list.Count < keep)
        {
            list.Add(finding);
        }
    }

    /// <summary>The kept findings in time order.</summary>
    public List<QualityFinding> Kept() => _kept.Values.SelectMany(l => l).OrderBy(f => f.Start).ThenBy(f => f.Kind, StringComparer.Ordinal).ToList();
}

using System.Globalization;

namespace Ktrdr.Jobs.Quality;

/// <summary>
/// Compares the time-of-day profiles of the series of each timeframe: a series whose profile matches none of the
/// others while at least two others agree with each other is reported (a whole series in the wrong timezone).
/// </summary>
public static class SessionConsensus
{
    private const double Similar = 0.5;

    /// <summary>The series with a session-disagreement finding added where one applies; the others unchanged.</summary>
    public static IReadOnlyList<SeriesQuality> Apply(IReadOnlyList<SeriesQuality> series, QualityRules rules)
    {
        ArgumentNullException.ThrowIfNull(series);
        var result = series.ToList();
        foreach (var group in series.Select((s, i) => (s, i)).Where(x => x.s.HourProfile is not null).GroupBy(x => x.s.Timeframe))
        {
            var members = group.ToList();
            if (members.Count < 3)
            {
                continue;
            }

            foreach (var (s, i) in members)
            {
                var others = members.Where(m => m.i != i).Select(m => m.s).ToList();
                if (others.Any(o => HourProfile.Distance(s.HourProfile!, o.HourProfile!) < Similar))
                {
                    continue;
                }

                // The most agreed-on profile among the others: the one with the most similar peers.
                var consensus = others.Select(o => (o, Peers: others.Count(p => p != o && HourProfile.Distance(o.HourProfile!, p.HourProfile!) < Similar)))
                    .OrderByDescending(x => x.Peers).First();
                if (consensus.Peers == 0)
                {
                    continue;
                }

                var (shift, _) = HourProfile.BestShift(s.HourProfile!, consensus.o.HourProfile!, 1);
                result[i] = s.With(new QualityFinding(QualityKinds.SessionDisagreement, s.First ?? default, s.Last ?? default, 0, shift, string.Create(CultureInfo.InvariantCulture,
                    $"session {HourProfile.Describe(s.HourProfile!)} disagrees with {consensus.Peers + 1} other {s.Timeframe} series ({HourProfile.Describe(consensus.o.HourProfile!)}, e.g. {consensus.o.Symbol}); closest match moved {shift:+0;-0} h")), rules);
            }
        }

        return result;
    }
}

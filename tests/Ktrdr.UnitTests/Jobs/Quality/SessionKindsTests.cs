using Ktrdr.Backends;
using Ktrdr.Jobs.Quality;

namespace Ktrdr.Tests.Jobs.Quality;

/// <summary>Gap detection on other session shapes: FX 24x5 hourly bars and stock-like daily bars.</summary>
public sealed class SessionKindsTests
{
    private static readonly DateTime Monday = new(2025, 1, 6, 0, 0, 0, DateTimeKind.Utc);

    private static SeriesQuality Analyze(IEnumerable<Bar> bars, string timeframe, QualityRules rules)
    {
        var analyzer = new SeriesQualityAnalyzer(new SeriesKey("X", timeframe), new QualityOptions(), rules);
        foreach (var bar in bars)
        {
            analyzer.Add(bar);
        }

        return analyzer.Finish();
    }

    private static IEnumerable<Bar> Bars(IEnumerable<DateTime> times)
    {
        var price = 100.0;
        var i = 0;
        foreach (var t in times)
        {
            price *= i++ % 2 == 0 ? 1.001 : 0.9995;
            yield return new Bar(t, price, price * 1.001, price * 0.999, price * 1.0002, 1000 + i);
        }
    }

    /// <summary>Hourly FX bars from Sunday 22:00 to Friday 21:00 UTC, <paramref name="weeks"/> weeks, without <paramref name="missing"/>.</summary>
    private static IEnumerable<DateTime> Forex(int weeks, params DateTime[] missing)
    {
        for (var t = Monday.AddDays(-1).AddHours(22); t < Monday.AddDays(7 * weeks); t = t.AddHours(1))
        {
            var open = t.DayOfWeek switch
            {
                DayOfWeek.Saturday => false,
                DayOfWeek.Sunday => t.Hour >= 22,
                DayOfWeek.Friday => t.Hour < 22,
                _ => true,
            };
            if (open && !missing.Contains(t))
            {
                yield return t;
            }
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Fx_24x5_weekends_are_not_gaps_and_a_missing_hour_on_tuesday_is_one(bool calendar)
    {
        var hole = Monday.AddDays(7 * 6 + 1).AddHours(3);
        var rules = calendar ? QualityRules.Parse(["session X 24x5"], "test") : QualityRules.None;

        var quality = Analyze(Bars(Forex(12, hole)), "1h", rules);

        var gap = quality.Findings.Single(f => f.Kind is QualityKinds.Gap or QualityKinds.MissingDay);
        Assert.That((gap.Kind, gap.Start, gap.Bars), Is.EqualTo((QualityKinds.Gap, hole, 1L)));
        Assert.That(quality.Total, Is.EqualTo(1));
    }

    [Test]
    public void A_missing_weekday_in_daily_bars_is_a_missing_session_day_and_weekends_are_not()
    {
        var missing = Monday.AddDays(7 * 8 + 2); // a Wednesday
        var days = Enumerable.Range(0, 7 * 20).Select(d => Monday.AddDays(d))
            .Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && d != missing);

        var quality = Analyze(Bars(days), "1d", QualityRules.None);

        var day = quality.Findings.Single();
        Assert.That((day.Kind, day.Start, day.Bars), Is.EqualTo((QualityKinds.MissingDay, missing, 1L)));
        Assert.That(day.Detail, Does.StartWith("no bars on Wednesday 2025-03-05"));
    }
}

using Ktrdr.Backends;
using Ktrdr.Jobs.Quality;

namespace Ktrdr.Tests.Jobs.Quality;

public sealed class SeriesQualityAnalyzerTests
{
    private static SeriesQuality Analyze(IEnumerable<Bar> bars, string symbol = "TEST", string timeframe = "1h", QualityRules? rules = null,
        QualityOptions? options = null)
    {
        var analyzer = new SeriesQualityAnalyzer(new SeriesKey(symbol, timeframe), options ?? new QualityOptions(), rules ?? QualityRules.None);
        foreach (var bar in bars)
        {
            analyzer.Add(bar);
        }

        return analyzer.Finish();
    }

    private static string Show(SeriesQuality q) => string.Join("\n", q.Findings.Select(f => $"{f.Kind} {f.Start:s} {f.End:s} {f.Bars} {f.Size:F1} {f.Detail}"));

    [Test]
    public void A_clean_session_series_has_no_findings_weekends_and_nights_are_not_gaps()
    {
        var quality = Analyze(FaultySeries.Clean());

        Assert.That(quality.Total, Is.Zero, Show(quality));
        Assert.That(quality.Bars, Is.EqualTo(FaultySeries.Weeks * 5 * 7));
        Assert.That(quality.Notes, Does.Contain("session learned from the series' own history"));
    }

    [Test]
    public void A_weekday_hole_inside_the_session_is_a_gap_with_its_first_and_last_missing_bar()
    {
        var quality = Analyze(FaultySeries.WithFaults());

        var gap = quality.Findings.Single(f => f.Kind == QualityKinds.Gap);
        Assert.That((gap.Start, gap.End, gap.Bars), Is.EqualTo((FaultySeries.HoleFirst, FaultySeries.HoleLast, 3L)), Show(quality));
        Assert.That(quality.Count(QualityKinds.Gap), Is.EqualTo(1), Show(quality));
    }

    [Test]
    public void A_whole_missing_weekday_is_a_missing_session_day()
    {
        var quality = Analyze(FaultySeries.WithFaults());

        var day = quality.Findings.Single(f => f.Kind == QualityKinds.MissingDay);
        Assert.That((day.Start, day.End, day.Bars), Is.EqualTo((FaultySeries.MissingDay.AddHours(14), FaultySeries.MissingDay.AddHours(20), 7L)), Show(quality));
        Assert.That(day.Detail, Does.Contain("Thursday 2025-10-16"));
        Assert.That(quality.MissingBars, Is.EqualTo(10));
    }

    [Test]
    public void A_40_percent_jump_is_reported_at_its_bar_with_its_size()
    {
        var quality = Analyze(FaultySeries.WithFaults());

        var jump = quality.Findings.Single(f => f.Kind == QualityKinds.Jump);
        Assert.That(jump.Start, Is.EqualTo(FaultySeries.Jump), Show(quality));
        Assert.That(jump.Size, Is.InRange(39.0, 41.0));
    }

    [Test]
    public void A_50_bar_zero_volume_run_and_a_stale_run_are_reported_with_their_start_and_length()
    {
        var quality = Analyze(FaultySeries.WithFaults());

        var zero = quality.Findings.Single(f => f.Kind == QualityKinds.ZeroVolume);
        Assert.That((zero.Start, zero.Bars), Is.EqualTo((FaultySeries.ZeroVolumeStart, (long)FaultySeries.ZeroVolumeBars)), Show(quality));
        var stale = quality.Findings.Single(f => f.Kind == QualityKinds.StaleClose);
        Assert.That((stale.Start, stale.Bars), Is.EqualTo((FaultySeries.StaleStart, (long)FaultySeries.StaleBars)));
        var flat = quality.Findings.Single(f => f.Kind == QualityKinds.FlatBars);
        Assert.That((flat.Start, flat.Bars), Is.EqualTo((FaultySeries.StaleStart, (long)FaultySeries.StaleBars)));
    }

    [Test]
    public void Zero_volume_in_a_series_without_any_volume_is_not_a_finding()
    {
        var quality = Analyze(FaultySeries.Clean().Select(b => b with { Volume = 0 }));

        Assert.That(quality.Count(QualityKinds.ZeroVolume), Is.Zero, Show(quality));
    }

    [Test]
    public void Timestamps_that_move_by_several_hours_are_a_session_shift_with_the_date_and_both_profiles()
    {
        var quality = Analyze(FaultySeries.Shifted());

        var shift = quality.Findings.Single(f => f.Kind == QualityKinds.SessionShift);
        Assert.That(shift.Start, Is.EqualTo(FaultySeries.ShiftDate), Show(quality));
        Assert.That(shift.Size, Is.EqualTo(FaultySeries.ShiftHours));
        Assert.That(shift.Detail, Does.Contain("14:00-21:00 UTC before").And.Contain("19:00-02:00 UTC after"));
        Assert.That(quality.Count(QualityKinds.Gap) + quality.Count(QualityKinds.MissingDay), Is.Zero, "the shift is not reported as gaps: " + Show(quality));
    }

    [Test]
    public void Bars_every_30_minutes_in_an_hourly_file_are_a_timeframe_mismatch()
    {
        var quality = Analyze(FaultySeries.HalfHourly());

        var mismatch = quality.Findings.Single(f => f.Kind == QualityKinds.TimeframeMismatch);
        Assert.That(mismatch.Detail, Does.Contain("most common spacing is 30m"), Show(quality));
        Assert.That(mismatch.Start, Is.EqualTo(FaultySeries.Start.AddHours(14.5)));
    }

    [Test]
    public void The_allow_list_ignores_a_known_holiday_and_a_known_split_and_counts_them()
    {
        var rules = QualityRules.Parse(["# known dates", "ignore * * missing-day 2025-10-16", "ignore TEST 1h jump 2025-08-05"], "test");

        var quality = Analyze(FaultySeries.WithFaults(), rules: rules);

        Assert.That(quality.Count(QualityKinds.MissingDay) + quality.Count(QualityKinds.Jump), Is.Zero, Show(quality));
        Assert.That(quality.Allowed, Is.EqualTo(2));
        Assert.That(quality.Count(QualityKinds.Gap), Is.EqualTo(1));
    }

    [Test]
    public void A_calendar_session_is_used_instead_of_learning_and_a_24x7_calendar_makes_nights_gaps()
    {
        var stock = Analyze(FaultySeries.Clean(), rules: QualityRules.Parse(["session TEST 14:00-21:00"], "test"));
        var crypto = Analyze(FaultySeries.Clean(), rules: QualityRules.Parse(["session * 24x7"], "test"));

        Assert.That(stock.Total, Is.Zero, Show(stock));
        Assert.That(stock.Notes, Does.Contain("session 14:00-21:00 (rules file)"));
        Assert.That(crypto.Count(QualityKinds.Gap) + crypto.Count(QualityKinds.MissingDay), Is.GreaterThan(100));
    }

    [Test]
    public void A_rule_that_is_not_one_names_its_line()
    {
        var ex = Assert.Throws<ArgumentException>(() => QualityRules.Parse(["session A 24x7", "ignore * * gaps 2024-01-01"], "rules.txt"));

        Assert.That(ex!.Message, Does.Contain("rules.txt line 2").And.Contain("'gaps' is not a finding kind"));
    }

    [Test]
    public void A_series_whose_whole_session_differs_from_the_others_of_its_timeframe_is_reported()
    {
        var options = new QualityOptions();
        var series = new[] { ("A", FaultySeries.Clean(5)), ("B", FaultySeries.Clean(6)), ("C", FaultySeries.Clean(7)), ("Z", FaultySeries.Clean(8, offsetHours: 6)) }
            .Select(x => Analyze(x.Item2, x.Item1, options: options)).ToList();

        var checkedSeries = SessionConsensus.Apply(series, QualityRules.None);

        Assert.That(checkedSeries.Take(3).Sum(s => s.Total), Is.Zero);
        var finding = checkedSeries[3].Findings.Single(f => f.Kind == QualityKinds.SessionDisagreement);
        Assert.That(finding.Detail, Does.Contain("session 20:00-03:00 UTC disagrees with 3 other 1h series (14:00-21:00 UTC"));
        Assert.That(finding.Size, Is.EqualTo(6));
    }
}

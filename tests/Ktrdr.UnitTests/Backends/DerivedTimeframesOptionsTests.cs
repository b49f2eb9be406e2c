using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs.Derived;

namespace Ktrdr.Tests.Backends;

public sealed class DerivedTimeframesOptionsTests
{
    [Test]
    public void Derivations_are_parsed_in_order_with_their_widths()
    {
        var options = new DerivedTimeframesOptions { Timeframes = "1m:5m, 1m->1h,5m:1h,1h:1d,15min:1w" };

        Assert.That(options.Errors(), Is.Empty);
        Assert.That(options.Derivations.Select(d => d.ToString()), Is.EqualTo(new[] { "1m -> 5m", "1m -> 1h", "5m -> 1h", "1h -> 1d", "15min -> 1w" }));
        Assert.That(options.Giving("1h").Select(d => d.Source), Is.EqualTo(new[] { "1m", "5m" }), "the order listed is the preference");
        Assert.That(options.Derivations[3].Width, Is.EqualTo(TimeSpan.FromDays(1)));
        Assert.That(options.Derivations[1].ViewName, Is.EqualTo("price_data_1m_1h"));
        Assert.That(new DerivedTimeframesOptions().Derivations, Is.Empty, "nothing is derived unless configured");
    }

    [TestCase("1m", "is not SOURCE:TARGET")]
    [TestCase("1m:1M", "fixed-length timeframes")]
    [TestCase("1h:1m", "whole multiple of the source")]
    [TestCase("2h:3h", "whole multiple of the source")]
    [TestCase("1m:1h,1m:1h", "listed twice")]
    [TestCase("x:1h", "fixed-length timeframes")]
    public void A_bad_derivation_is_refused_naming_the_variable_and_what_is_valid(string value, string reason)
    {
        var errors = new DerivedTimeframesOptions { Timeframes = value }.Errors().ToList();

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith("KTRDR_DERIVED_TIMEFRAMES: '").And.Contain(reason));
    }

    [Test]
    public void Buckets_align_on_monday_2000_01_03_utc_hours_on_the_hour_days_on_utc_midnight_weeks_on_monday()
    {
        var hour = new Derivation("1m", "1h", TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
        var week = new Derivation("1d", "1w", TimeSpan.FromDays(1), TimeSpan.FromDays(7));
        var fourHours = new Derivation("1h", "4h", TimeSpan.FromHours(1), TimeSpan.FromHours(4));
        var t = new DateTime(2024, 1, 10, 7, 42, 0, DateTimeKind.Utc); // a Wednesday

        Assert.That(hour.Floor(t), Is.EqualTo(new DateTime(2024, 1, 10, 7, 0, 0, DateTimeKind.Utc)));
        Assert.That(hour.Ceiling(t), Is.EqualTo(new DateTime(2024, 1, 10, 8, 0, 0, DateTimeKind.Utc)));
        Assert.That(hour.Ceiling(hour.Floor(t)), Is.EqualTo(hour.Floor(t)));
        Assert.That(fourHours.Floor(t), Is.EqualTo(new DateTime(2024, 1, 10, 4, 0, 0, DateTimeKind.Utc)));
        Assert.That(week.Floor(t), Is.EqualTo(new DateTime(2024, 1, 8, 0, 0, 0, DateTimeKind.Utc)), "Monday");
        Assert.That(week.Floor(new DateTime(1999, 12, 31, 0, 0, 0, DateTimeKind.Utc)), Is.EqualTo(new DateTime(1999, 12, 27, 0, 0, 0, DateTimeKind.Utc)), "before the origin too");
    }

    [Test]
    public async Task The_independent_aggregation_takes_first_open_max_high_min_low_last_close_and_minus_one_volume_when_any_bar_has_none()
    {
        var hour = new Derivation("1m", "1h", TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
        var at = new DateTime(2024, 1, 10, 7, 0, 0, DateTimeKind.Utc);
        Bar[] source =
        [
            new(at.AddMinutes(5), 10, 12, 9, 11, 100),
            new(at.AddMinutes(6), 11, 15, 10, 14, 50),
            new(at.AddMinutes(59), 14, 14, 8, 9, 25),
            new(at.AddMinutes(61), 9, 10, 8, 9.5, -1),
            new(at.AddMinutes(62), 9.5, 11, 9, 10, 30),
        ];

        var bars = await DerivedBarAggregator.AggregateAsync(source.ToAsyncEnumerable(), hour, CancellationToken.None).ToListAsync();

        Assert.That(bars, Is.EqualTo(new[] { new Bar(at, 10, 15, 8, 9, 175), new Bar(at.AddHours(1), 9, 11, 8, 10, -1) }));
    }
}

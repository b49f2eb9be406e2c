using Ktrdr.Jobs;

namespace Ktrdr.Tests.Jobs;

/// <summary>The gap-filling range: inclusive dates, UTC days, and the messages of bad values.</summary>
public sealed class ImportRangeTests
{
    private static DateTime Utc(int y, int m, int d, int h = 0, int min = 0) => new(y, m, d, h, min, 0, DateTimeKind.Utc);

    [Test]
    public void Dates_without_a_time_are_whole_UTC_days_and_the_end_day_is_included()
    {
        var range = ImportRange.Parse("2024-03-01", "2024-03-31");
        Assert.Multiple(() =>
        {
            Assert.That((range.Start, range.End), Is.EqualTo(((DateTime?)Utc(2024, 3, 1), (DateTime?)Utc(2024, 4, 1))));
            Assert.That(range.Contains(Utc(2024, 3, 1)), Is.True);
            Assert.That(range.Contains(Utc(2024, 3, 31, 23, 55)), Is.True);
            Assert.That(range.Contains(Utc(2024, 4, 1)), Is.False);
            Assert.That(range.Contains(Utc(2024, 2, 29, 23, 55)), Is.False);
        });
    }

    [Test]
    public void An_end_with_a_time_of_day_includes_a_bar_at_exactly_that_instant()
    {
        var range = ImportRange.Parse("2024-03-01T10:00:00Z", "2024-03-01 10:15:00");
        Assert.Multiple(() =>
        {
            Assert.That(range.Contains(Utc(2024, 3, 1, 10, 15)), Is.True);
            Assert.That(range.Contains(Utc(2024, 3, 1, 10, 15).AddTicks(10)), Is.False);
            Assert.That(range.Contains(Utc(2024, 3, 1, 9, 55)), Is.False);
        });
    }

    [Test]
    public void One_bound_leaves_the_other_side_open_and_none_is_everything()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ImportRange.Parse("2024-03-01", null).Contains(Utc(2099, 1, 1)), Is.True);
            Assert.That(ImportRange.Parse(null, "2024-03-01").Contains(Utc(1990, 1, 1)), Is.True);
            Assert.That(ImportRange.Parse(" ", "").IsAll, Is.True);
        });
    }

    [Test]
    public void The_same_day_as_start_and_end_is_that_one_day()
    {
        var range = ImportRange.Parse("2024-03-01", "2024-03-01");
        Assert.That((range.Start, range.End), Is.EqualTo(((DateTime?)Utc(2024, 3, 1), (DateTime?)Utc(2024, 3, 2))));
    }

    [TestCase("2024-02-30", null, "--start-date '2024-02-30' is not a date")]
    [TestCase(null, "soon", "--end-date 'soon' is not a date")]
    [TestCase("2024-03-02", "2024-03-01", "--start-date '2024-03-02' is after --end-date '2024-03-01'")]
    public void Bad_values_throw_naming_the_option_and_the_value(string? start, string? end, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => ImportRange.Parse(start, end));
        Assert.That(ex!.Message, Does.Contain(message));
    }

    [Test]
    public void Describe_says_which_bound_is_included()
    {
        Assert.That(ImportRange.Parse("2024-03-01", "2024-03-01").Describe(),
            Is.EqualTo("from 2024-03-01T00:00:00Z (inclusive) to 2024-03-02T00:00:00Z (exclusive), UTC"));
    }
}

using System.Text;
using Ktrdr.Backends.Csv;

namespace Ktrdr.Tests.Backends;

public sealed class CsvTimestampTests
{
    [TestCase("2023-01-02", "2023-01-02T00:00:00Z")]
    [TestCase("2025-01-02 14:35:00+00:00", "2025-01-02T14:35:00Z")]
    [TestCase("2025-01-02T14:35:00Z", "2025-01-02T14:35:00Z")]
    [TestCase("2025-01-02 14:35:00", "2025-01-02T14:35:00Z")]
    [TestCase("2025-01-02 09:35:00-05:00", "2025-01-02T14:35:00Z")]
    [TestCase("2025-01-02T16:35:00+0200", "2025-01-02T14:35:00Z")]
    [TestCase("2025-01-02 14:35:00.25+00:00", "2025-01-02T14:35:00.25Z")]
    [TestCase("2025-01-02 00:30:00+01:00", "2025-01-01T23:30:00Z")]
    [TestCase("1965-07-01", "1965-07-01T00:00:00Z")]
    [TestCase("2025-1-2 14:35", "2025-01-02T14:35:00Z")]
    public void Timestamp_forms_of_platform_files_parse_to_utc(string text, string expected)
    {
        Assert.That(CsvTimestamp.TryParse(Encoding.UTF8.GetBytes(text), out var utc), Is.True);
        Assert.That(CsvTimestamp.Format(utc), Is.EqualTo(expected));
        Assert.That(utc.Kind, Is.EqualTo(DateTimeKind.Utc));
    }

    [TestCase("")]
    [TestCase("not-a-date")]
    [TestCase("2023-02-30")]
    [TestCase("2023-01-02 25:00:00")]
    [TestCase("2023-01-02 10:00:00+99:00")]
    [TestCase("2023-01-02 10:00:00 junk")]
    public void Text_that_is_not_a_timestamp_is_refused(string text) =>
        Assert.That(CsvTimestamp.TryParse(Encoding.UTF8.GetBytes(text), out _), Is.False);

    [Test]
    public void Format_round_trips_through_parse()
    {
        var time = new DateTime(2024, 3, 5, 6, 7, 8, DateTimeKind.Utc).AddTicks(1234);
        Assert.That(CsvTimestamp.TryParse(Encoding.UTF8.GetBytes(CsvTimestamp.Format(time)), out var back), Is.True);
        Assert.That(back, Is.EqualTo(time));
    }
}

using System.Globalization;
using Ktrdr.Backends.Csv;

namespace Ktrdr.Jobs;

/// <summary>
/// The time span a run imports (gap filling): bars with <c>Start &lt;= time &lt; End</c>, in UTC; a null bound is open.
/// Built from the user's <c>--start-date</c>/<c>--end-date</c> by <see cref="Parse"/>: a date without a time is a
/// UTC day, and both given dates are inclusive (<c>--end-date 2024-03-31</c> imports the whole of March 31, UTC; an
/// end with a time of day imports a bar at exactly that instant). Stored on the run (<c>migration_runs.range_start</c>,
/// <c>range_end</c>, the exclusive end), so that every attempt of every import job of the run reads the same range.
/// </summary>
/// <param name="Start">The first instant imported (inclusive), or null for no lower bound.</param>
/// <param name="End">The first instant no longer imported (exclusive), or null for no upper bound.</param>
public sealed record ImportRange(DateTime? Start, DateTime? End)
{
    /// <summary>No bounds: the whole file.</summary>
    public static ImportRange All { get; } = new(null, null);

    public bool IsAll => Start is null && End is null;

    /// <summary>Whether a bar at <paramref name="time"/> (UTC) is imported.</summary>
    public bool Contains(DateTime time) => (Start is not { } s || time >= s) && (End is not { } e || time < e);

    /// <summary>
    /// The range of <c>--start-date</c> and <c>--end-date</c> (either may be empty). Accepts <c>YYYY-MM-DD</c> (a UTC
    /// day) and the ISO-8601 timestamps the CSV files use (without an offset: UTC).
    /// </summary>
    /// <exception cref="ArgumentException">A value is not a date, or the start is after the end; the message names the option and the value.</exception>
    public static ImportRange Parse(string? startDate, string? endDate)
    {
        var start = Bound(startDate, "--start-date", out _);
        var end = Bound(endDate, "--end-date", out var endIsDay);
        if (start is { } s && end is { } e && s > e)
        {
            throw new ArgumentException($"--start-date '{startDate}' is after --end-date '{endDate}': the start must not be later than the end");
        }

        // Both bounds inclusive for the user; stored half-open. A day ends where the next begins; an instant is kept by
        // ending one microsecond (the database's precision) after it.
        return new ImportRange(start, end is { } last ? (endIsDay ? last.AddDays(1) : last.AddTicks(10)) : null);
    }

    /// <summary>For reports and messages: the bounds with which side is included.</summary>
    public string Describe() => IsAll
        ? "all bars"
        : $"from {Show(Start, "the first bar")} (inclusive) to {Show(End, "the last bar")}{(End is null ? " (inclusive)" : " (exclusive)")}, UTC";

    private static DateTime? Bound(string? value, string option, out bool isDay)
    {
        isDay = false;
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        if (!CsvTimestamp.TryParse(text, out var utc))
        {
            throw new ArgumentException($"{option} '{value}' is not a date: use YYYY-MM-DD (a UTC day) or ISO-8601 such as 2024-01-02T14:30:00Z");
        }

        isDay = DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
        return utc;
    }

    private static string Show(DateTime? time, string open) =>
        time is { } t ? t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture) : open;
}

using System.Globalization;

namespace Ktrdr.Jobs.Quality;

/// <summary>
/// A fixed trading session from the rules file, in UTC: <c>24x7</c> (crypto), <c>24x5</c> (FX: Sunday 22:00 to Friday
/// 22:00) or <c>HH:MM-HH:MM</c> on Monday to Friday (stock-like; may cross midnight). Daily bars count as in session on
/// the days the session opens.
/// </summary>
public sealed record SessionCalendar(string Name, int OpenMinute, int CloseMinute, bool Weekends)
{
    private const int Day = 24 * 60;

    public static SessionCalendar Crypto { get; } = new("24x7", 0, Day, true);

    public static SessionCalendar Forex { get; } = new("24x5", 22 * 60, 22 * 60, false);

    /// <summary>Parses <c>24x7</c>, <c>24x5</c> or <c>HH:MM-HH:MM</c>; null when it is none of them.</summary>
    public static SessionCalendar? Parse(string text)
    {
        if (text.Equals("24x7", StringComparison.OrdinalIgnoreCase))
        {
            return Crypto;
        }

        if (text.Equals("24x5", StringComparison.OrdinalIgnoreCase))
        {
            return Forex;
        }

        var parts = text.Split('-');
        return parts.Length == 2 && Minute(parts[0]) is { } open && Minute(parts[1]) is { } close && open != close
            ? new SessionCalendar(text, open, close, false)
            : null;
    }

    /// <summary>Whether the bar slot starting at <paramref name="time"/> (UTC) is in session; <paramref name="daily"/> for bars of a day or more.</summary>
    public bool IsOpen(DateTime time, bool daily)
    {
        if (Weekends)
        {
            return true;
        }

        var minute = (time.Hour * 60) + time.Minute;
        if (Name == "24x5")
        {
            // Open from Sunday OpenMinute to Friday CloseMinute.
            return daily
                ? time.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)
                : time.DayOfWeek switch
                {
                    DayOfWeek.Saturday => false,
                    DayOfWeek.Sunday => minute >= OpenMinute,
                    DayOfWeek.Friday => minute < CloseMinute,
                    _ => true,
                };
        }

        if (daily)
        {
            return time.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
        }

        // A session crossing midnight belongs to the weekday it opens on.
        var crosses = CloseMinute < OpenMinute;
        var sessionDay = crosses && minute < CloseMinute ? time.AddDays(-1).DayOfWeek : time.DayOfWeek;
        if (sessionDay is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            return false;
        }

        return crosses ? minute >= OpenMinute || minute < CloseMinute : minute >= OpenMinute && minute < CloseMinute;
    }

    private static int? Minute(string text) =>
        TimeOnly.TryParseExact(text.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? (t.Hour * 60) + t.Minute : null;

    public override string ToString() => Name;
}

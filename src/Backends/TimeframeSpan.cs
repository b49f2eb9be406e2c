using System.Globalization;

namespace Ktrdr.Backends;

/// <summary>
/// The fixed length of a timeframe name (<c>30s</c>, <c>5m</c>, <c>5min</c>, <c>1h</c>, <c>1d</c>, <c>1w</c>). Months
/// (<c>1M</c>, <c>1mo</c>) have no fixed length and have none here.
/// </summary>
public static class TimeframeSpan
{
    /// <summary>The length of <paramref name="timeframe"/>; false for an invalid name or a calendar unit (months).</summary>
    public static bool TryParse(string? timeframe, out TimeSpan span)
    {
        span = TimeSpan.Zero;
        if (timeframe is null || !SeriesNames.IsValidTimeframe(timeframe))
        {
            return false;
        }

        var digits = timeframe.TakeWhile(char.IsAsciiDigit).Count();
        var count = int.Parse(timeframe.AsSpan(0, digits), CultureInfo.InvariantCulture);
        TimeSpan? unit = timeframe[digits..] switch
        {
            "s" => TimeSpan.FromSeconds(1),
            "m" or "min" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            "d" => TimeSpan.FromDays(1),
            "w" => TimeSpan.FromDays(7),
            _ => null,
        };
        if (unit is null || count == 0)
        {
            return false;
        }

        span = unit.Value * count;
        return true;
    }
}

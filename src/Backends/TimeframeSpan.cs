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

    /// <summary>A spacing as the shortest timeframe-like text: 30m, 1h, 4h, 1d, 90s.</summary>
    public static string Format(TimeSpan span) => span switch
    {
        { Ticks: <= 0 } => "0",
        _ when span.Ticks % TimeSpan.TicksPerDay == 0 => string.Create(CultureInfo.InvariantCulture, $"{span.Ticks / TimeSpan.TicksPerDay}d"),
        _ when span.Ticks % TimeSpan.TicksPerHour == 0 => string.Create(CultureInfo.InvariantCulture, $"{span.Ticks / TimeSpan.TicksPerHour}h"),
        _ when span.Ticks % TimeSpan.TicksPerMinute == 0 => string.Create(CultureInfo.InvariantCulture, $"{span.Ticks / TimeSpan.TicksPerMinute}m"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###}s"),
    };
}

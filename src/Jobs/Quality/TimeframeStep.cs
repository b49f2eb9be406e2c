using System.Globalization;

namespace Ktrdr.Jobs.Quality;

/// <summary>The bar spacing a timeframe name promises (<c>5m</c>, <c>1h</c>, <c>1d</c>, <c>1w</c>); null for months, whose length varies.</summary>
internal static class TimeframeStep
{
    public static TimeSpan? Of(string timeframe)
    {
        var digits = new string(timeframe.TakeWhile(char.IsDigit).ToArray());
        if (digits.Length == 0 || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return null;
        }

        return timeframe[digits.Length..] switch
        {
            "s" => TimeSpan.FromSeconds(n),
            "m" or "min" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            "w" => TimeSpan.FromDays(7 * n),
            _ => null,
        };
    }

    /// <summary>A spacing as the shortest timeframe-like text: 30m, 1h, 4h, 1d, 90s.</summary>
    public static string Describe(TimeSpan span) => span switch
    {
        { Ticks: <= 0 } => "0",
        _ when span.Ticks % TimeSpan.TicksPerDay == 0 => $"{span.Ticks / TimeSpan.TicksPerDay}d",
        _ when span.Ticks % TimeSpan.TicksPerHour == 0 => $"{span.Ticks / TimeSpan.TicksPerHour}h",
        _ when span.Ticks % TimeSpan.TicksPerMinute == 0 => $"{span.Ticks / TimeSpan.TicksPerMinute}m",
        _ => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###}s"),
    };
}

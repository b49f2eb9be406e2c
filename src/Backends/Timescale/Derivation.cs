using System.Globalization;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// One configured derived timeframe: bars of <see cref="Target"/> aggregated from the stored bars of
/// <see cref="Source"/>. Buckets are [t, t + <see cref="Width"/>) aligned on <see cref="Origin"/> (Monday 2000-01-03
/// 00:00 UTC, TimescaleDB's time_bucket default): hours start on the hour, days are UTC days, weeks start on Monday.
/// </summary>
public sealed record Derivation(string Source, string Target, TimeSpan SourceWidth, TimeSpan Width)
{
    /// <summary>The instant every bucket is aligned to.</summary>
    public static readonly DateTime Origin = new(2000, 1, 3, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The continuous aggregate's name (timeframe names are validated: digits and a unit only).</summary>
    public string ViewName => $"price_data_{Source}_{Target}";

    /// <summary><see cref="Width"/> as a SQL interval constant.</summary>
    public string IntervalLiteral => string.Create(CultureInfo.InvariantCulture, $"INTERVAL '{(long)Width.TotalSeconds} seconds'");

    /// <summary>Start of the bucket holding <paramref name="time"/>.</summary>
    public DateTime Floor(DateTime time)
    {
        var offset = time.Ticks - Origin.Ticks;
        var buckets = offset / Width.Ticks;
        if (offset % Width.Ticks < 0)
        {
            buckets--;
        }

        return new DateTime(Origin.Ticks + (buckets * Width.Ticks), DateTimeKind.Utc);
    }

    /// <summary>The first bucket start at or after <paramref name="time"/>; the open ends stay open.</summary>
    public DateTime Ceiling(DateTime time)
    {
        if (time == DateTime.MinValue || time == DateTime.MaxValue)
        {
            return time;
        }

        var floor = Floor(time);
        if (floor == time)
        {
            return floor;
        }

        return DateTime.MaxValue.Ticks - floor.Ticks < Width.Ticks ? DateTime.MaxValue : floor + Width;
    }

    public override string ToString() => $"{Source} -> {Target}";
}

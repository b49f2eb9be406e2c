using Ktrdr.Backends;

namespace Ktrdr.Tests.Infrastructure;

/// <summary>
/// Generated 1-minute bars with holes, a first hour that starts mid-hour and an hour with "no volume" (-1) bars, and
/// their aggregation into coarser bars computed here by grouping (independent of the worker's code and SQL).
/// </summary>
internal static class MinuteBars
{
    public static List<Bar> Generate(DateTime firstHour, int minutes, int seed)
    {
        var random = new Random(seed);
        var bars = new List<Bar>();
        var price = 100.0;
        for (var i = 7; i < minutes + 7; i++)
        {
            if (i % 97 == 5 || (i >= 600 && i < 660 + 17 && i % 3 == 0))
            {
                continue; // holes, and an hour missing a third of its minutes
            }

            var open = Math.Round(price + ((random.NextDouble() - 0.5) * 0.4), 4);
            var close = Math.Round(open + ((random.NextDouble() - 0.5) * 0.6), 4);
            var high = Math.Round(Math.Max(open, close) + (random.NextDouble() * 0.3), 4);
            var low = Math.Round(Math.Min(open, close) - (random.NextDouble() * 0.3), 4);
            price = close;
            double volume = i / 60 == 5 && i % 4 == 0 ? -1 : random.Next(1, 5000);
            bars.Add(new Bar(firstHour.AddMinutes(i), open, high, low, close, volume));
        }

        return bars;
    }

    /// <summary>Buckets of <paramref name="width"/> from midnight UTC (hours, days): first open, max, min, last close, sum or -1.</summary>
    public static List<Bar> Aggregate(IEnumerable<Bar> bars, TimeSpan width) =>
        bars.OrderBy(b => b.Time)
            .GroupBy(b => new DateTime(b.Time.Ticks - (b.Time.Ticks % width.Ticks), DateTimeKind.Utc))
            .Select(g => new Bar(g.Key, g.First().Open, g.Max(b => b.High), g.Min(b => b.Low), g.Last().Close,
                g.Any(b => b.Volume < 0) ? -1 : g.Sum(b => b.Volume)))
            .ToList();
}

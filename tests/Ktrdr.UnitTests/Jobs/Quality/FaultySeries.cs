using Ktrdr.Backends;

namespace Ktrdr.Tests.Jobs.Quality;

/// <summary>
/// Generated stock-like hourly bars with planted faults at known times: a session of 14:00-21:00 UTC (bars at 14..20),
/// Monday to Friday, from <see cref="Start"/> for <see cref="Weeks"/> weeks, a random walk of at most ±0.5% a bar.
/// Shared by the unit tests (fed to the analyzer) and the integration tests (written to CSV and migrated).
/// </summary>
internal static class FaultySeries
{
    public static readonly DateTime Start = new(2025, 6, 2, 0, 0, 0, DateTimeKind.Utc); // a Monday
    public const int Weeks = 30;

    /// <summary>Three bars missing inside Wednesday's session.</summary>
    public static readonly DateTime HoleFirst = new(2025, 9, 10, 16, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime HoleLast = new(2025, 9, 10, 18, 0, 0, DateTimeKind.Utc);

    /// <summary>A whole Thursday without bars.</summary>
    public static readonly DateTime MissingDay = new(2025, 10, 16, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>From this bar on every price is 40% higher.</summary>
    public static readonly DateTime Jump = new(2025, 8, 5, 15, 0, 0, DateTimeKind.Utc);

    /// <summary>50 bars with zero volume from here.</summary>
    public static readonly DateTime ZeroVolumeStart = new(2025, 11, 3, 14, 0, 0, DateTimeKind.Utc);
    public const int ZeroVolumeBars = 50;

    /// <summary>30 bars with open = high = low = close, all at the same price, from here.</summary>
    public static readonly DateTime StaleStart = new(2025, 7, 7, 14, 0, 0, DateTimeKind.Utc);
    public const int StaleBars = 30;

    /// <summary>Where the shifted series' bars move 5 hours later (a Wednesday).</summary>
    public static readonly DateTime ShiftDate = new(2025, 9, 17, 0, 0, 0, DateTimeKind.Utc);
    public const int ShiftHours = 5;

    /// <summary>The series with every fault planted.</summary>
    public static List<Bar> WithFaults(int seed = 1) => Generate(seed, faults: true, shift: false, step: TimeSpan.FromHours(1), offsetHours: 0);

    /// <summary>A clean series whose bars move by <see cref="ShiftHours"/> from <see cref="ShiftDate"/> on.</summary>
    public static List<Bar> Shifted(int seed = 2) => Generate(seed, faults: false, shift: true, step: TimeSpan.FromHours(1), offsetHours: 0);

    /// <summary>A clean series: the session, weekends and nights only.</summary>
    public static List<Bar> Clean(int seed = 3, int offsetHours = 0) => Generate(seed, faults: false, shift: false, step: TimeSpan.FromHours(1), offsetHours);

    /// <summary>A clean series with bars every 30 minutes (for an '_1h' file: a timeframe mismatch).</summary>
    public static List<Bar> HalfHourly(int seed = 4) => Generate(seed, faults: false, shift: false, step: TimeSpan.FromMinutes(30), offsetHours: 0);

    private static List<Bar> Generate(int seed, bool faults, bool shift, TimeSpan step, int offsetHours)
    {
        var random = new Random(seed);
        var bars = new List<Bar>();
        var price = 100.0;
        var zeroLeft = 0;
        var staleLeft = 0;
        var stalePrice = 0.0;
        for (var day = Start; day < Start.AddDays(7 * Weeks); day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || (faults && day == MissingDay))
            {
                continue;
            }

            for (var time = day.AddHours(14); time < day.AddHours(21); time += step)
            {
                if (faults && time >= HoleFirst && time <= HoleLast)
                {
                    continue;
                }

                var open = price;
                var close = price * (1 + ((random.NextDouble() - 0.5) * 0.01));
                if (faults && time == Jump)
                {
                    open *= 1.4;
                    close *= 1.4;
                }

                var high = Math.Max(open, close) * (1 + (random.NextDouble() * 0.002));
                var low = Math.Min(open, close) * (1 - (random.NextDouble() * 0.002));
                var volume = 1000 + Math.Round(random.NextDouble() * 10_000);
                if (faults && time == StaleStart)
                {
                    staleLeft = StaleBars;
                    stalePrice = Math.Round(open, 2);
                }

                if (staleLeft > 0)
                {
                    staleLeft--;
                    open = high = low = close = stalePrice;
                }

                if (faults && time == ZeroVolumeStart)
                {
                    zeroLeft = ZeroVolumeBars;
                }

                if (zeroLeft > 0)
                {
                    zeroLeft--;
                    volume = 0;
                }

                var stamp = time.AddHours(offsetHours + (shift && time >= ShiftDate ? ShiftHours : 0));
                bars.Add(new Bar(stamp, Math.Round(open, 4), Math.Round(high, 4), Math.Round(low, 4), Math.Round(close, 4), volume));
                price = close;
            }
        }

        return bars;
    }
}

using System.Globalization;
using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs.Derived;

namespace Ktrdr.Bench;

/// <summary>
/// The data of the derived-read step (bench/derived.sh): a year of 1m bars of one symbol, and the 1h bars aggregated
/// from them (in C#) stored as another symbol's own 1h series, so that a stored and a derived 1h read of the same size
/// can be timed side by side.
/// </summary>
internal static class DerivedBench
{
    public static async Task<int> WriteDataAsync(string[] args, CancellationToken cancellationToken)
    {
        var (derivedSymbol, storedSymbol) = (args[0], args[1]);
        var start = DateTime.Parse(args[2], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        var end = DateTime.Parse(args[3], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        await using var dataSource = BenchDatabase.Open();
        var backend = new TimescaleBackend(dataSource);
        var minutes = Minutes(start, end).ToList();
        var saved = await backend.SaveAsync(new SeriesKey(derivedSymbol, "1m"), minutes.ToAsyncEnumerable(), cancellationToken);
        var hour = new Derivation("1m", "1h", TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
        var hours = await DerivedBarAggregator.AggregateAsync(minutes.ToAsyncEnumerable(), hour, cancellationToken).ToListAsync(cancellationToken);
        var stored = await backend.SaveAsync(new SeriesKey(storedSymbol, "1h"), hours.ToAsyncEnumerable(), cancellationToken);
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"minutes={saved.Inserted} hours={stored.Inserted}"));
        return 0;
    }

    private static IEnumerable<Bar> Minutes(DateTime start, DateTime end)
    {
        var random = new Random(42);
        var price = 100.0;
        for (var t = start; t < end; t = t.AddMinutes(1))
        {
            var open = price;
            var close = Math.Round(open + ((random.NextDouble() - 0.5) * 0.2), 4);
            var high = Math.Round(Math.Max(open, close) + (random.NextDouble() * 0.1), 4);
            var low = Math.Round(Math.Min(open, close) - (random.NextDouble() * 0.1), 4);
            price = close;
            yield return new Bar(t, open, high, low, close, random.Next(1, 10_000));
        }
    }
}

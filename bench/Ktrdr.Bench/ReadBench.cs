using System.Diagnostics;
using System.Globalization;
using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;

namespace Ktrdr.Bench;

/// <summary>A range read through <see cref="DataRepository"/> (the code every reader uses), repeated; the median counts.</summary>
internal static class ReadBench
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var key = new SeriesKey(args[0], args[1]);
        var start = DateTime.Parse(args[2], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        var end = DateTime.Parse(args[3], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        var repeat = int.Parse(args[4], CultureInfo.InvariantCulture);
        await using var dataSource = BenchDatabase.Open();
        var repository = new DataRepository(new TimescaleBackend(dataSource, BenchDatabase.Derived()));

        // Warm-up reads for two seconds: the pooled connection, the JIT (which optimises hot code in the background after
        // a while) and the server's cache are then warm, as they are in a long-running worker; psql has no JIT to warm.
        var rows = await ReadAsync(repository, key, start, end, cancellationToken);
        for (var warm = Stopwatch.StartNew(); warm.Elapsed < TimeSpan.FromSeconds(2);)
        {
            await ReadAsync(repository, key, start, end, cancellationToken);
        }

        var times = new List<double>();
        for (var i = 0; i < repeat; i++)
        {
            var clock = Stopwatch.StartNew();
            var count = await ReadAsync(repository, key, start, end, cancellationToken);
            times.Add(clock.Elapsed.TotalMilliseconds);
            if (count != rows)
            {
                throw new InvalidOperationException($"read {count} rows, then {rows}: is something writing to {key}?");
            }
        }

        times.Sort();
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"rows={rows} median_ms={times[times.Count / 2]:F2} min_ms={times[0]:F2} max_ms={times[^1]:F2}"));
        return 0;
    }

    private static async Task<long> ReadAsync(DataRepository repository, SeriesKey key, DateTime start, DateTime end, CancellationToken cancellationToken)
    {
        long count = 0;
        double check = 0;
        await foreach (var bar in repository.LoadAsync(key, start, end, cancellationToken))
        {
            count++;
            check += bar.Close;
        }

        return check >= 0 ? count : -1;
    }
}

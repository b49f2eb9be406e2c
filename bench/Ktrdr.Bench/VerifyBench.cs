using System.Diagnostics;
using System.Globalization;
using Ktrdr.Backends.Csv;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs;
using Microsoft.Extensions.Options;

namespace Ktrdr.Bench;

/// <summary>
/// Verification of every file of a directory against the database with <see cref="SeriesComparer"/>, the comparison
/// the migration's verification job runs (and <c>./ktrdr verify</c>), <c>parallel</c> files at a time.
/// </summary>
internal static class VerifyBench
{
    public static async Task<int> RunAsync(string dataDir, int parallel, CancellationToken cancellationToken)
    {
        await using var dataSource = BenchDatabase.Open();
        var comparer = new SeriesComparer(new TimescaleBackend(dataSource), new PriceDataInspector(dataSource));
        var csv = new CsvBackend(Options.Create(new CsvOptions { DataDir = dataDir }));
        var series = csv.ListSeries();
        long rows = 0, mismatches = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(series, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken },
            async (key, ct) =>
            {
                var result = await comparer.CompareAsync(key, csv.PathOf(key), ct);
                Interlocked.Add(ref rows, result.DbRows);
                Interlocked.Add(ref mismatches, result.Mismatches + (result.Matches ? 0 : 1));
            });
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"rows={rows} seconds={clock.Elapsed.TotalSeconds:F3} files={series.Count} mismatched={mismatches}"));
        return mismatches == 0 ? 0 : 1;
    }
}

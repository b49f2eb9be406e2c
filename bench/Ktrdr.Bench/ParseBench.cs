using System.Diagnostics;
using System.Globalization;
using Ktrdr.Backends.Csv;

namespace Ktrdr.Bench;

/// <summary>CSV parsing and validation alone (<see cref="CsvBarFile"/>), one file after the other: the client's share of a migration.</summary>
internal static class ParseBench
{
    public static async Task<int> RunAsync(string dataDir, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long rows = 0;
        foreach (var path in Directory.GetFiles(dataDir, "*.csv").Order(StringComparer.Ordinal))
        {
            using var file = CsvBarFile.Open(path);
            await foreach (var row in file.ReadAsync(cancellationToken))
            {
                rows += row.Kind == CsvRowKind.Bar ? 1 : 0;
            }
        }

        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"rows={rows} seconds={clock.Elapsed.TotalSeconds:F3}"));
        return 0;
    }
}

using System.Globalization;
using Ktrdr.Backends.Csv;
using Ktrdr.Backends.Timescale;
using Microsoft.Extensions.Options;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// The part of <c>db migrate</c> that meets a <c>price_data</c> it did not create (the platform's own): the table is
/// kept, never silently: each difference from the worker's own table is printed with what it means, a difference the
/// migration cannot write through fails the command, and <c>--add-unique-key</c> creates the missing unique key on
/// (symbol, timeframe, time) once no bar is stored twice.
/// </summary>
internal static class PlatformTable
{
    private const int DuplicatesShown = 20;

    public static async Task<int> AdoptAsync(IServiceProvider services, PriceDataShape before, bool addUniqueKey, TextWriter output,
        CancellationToken cancellationToken)
    {
        var shape = await services.GetRequiredService<PriceDataInspector>().ReadAsync(cancellationToken);
        var interval = services.GetRequiredService<IOptions<TimescaleOptions>>().Value.ChunkInterval;
        var differences = PriceDataDifferences.Of(before.Exists ? before with { Indexes = shape.Indexes } : shape, interval);
        if (differences.Count > 0)
        {
            await output.WriteLineAsync(before.Exists
                ? "price_data existed before and differs from the table this worker creates; it is kept: its columns, constraints, indexes and retention policy are not changed (what 'db migrate' sets is said below). Each difference and what it means:"
                : "price_data differs from the table this worker creates. Each difference and what it means:");
            foreach (var difference in differences)
            {
                await output.WriteLineAsync($"  {(difference.Blocks ? "BLOCKS MIGRATION: " : "")}{difference}");
            }
        }

        if (differences.Any(d => d.Blocks))
        {
            await Console.Error.WriteLineAsync("error: price_data cannot take a migration as it is: fix the differences marked BLOCKS MIGRATION above");
            return CliErrorBoundary.Failed;
        }

        if (!addUniqueKey)
        {
            return CliErrorBoundary.Ok;
        }

        if (shape.HasUniqueSeriesKey)
        {
            await output.WriteLineAsync("--add-unique-key: price_data already has a unique key on (symbol, timeframe, time)");
            return CliErrorBoundary.Ok;
        }

        var key = services.GetRequiredService<UniqueSeriesKey>();
        await output.WriteLineAsync("--add-unique-key: looking for bars stored more than once (reads the whole table)...");
        var (total, first) = await key.DuplicatesAsync(DuplicatesShown, cancellationToken);
        if (total > 0)
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"error: cannot add the unique key: {total:N0} (symbol, timeframe, time) are stored more than once; the unique key was not created. The first {first.Count}:"));
            foreach (var (symbol, timeframe, time, copies) in first)
            {
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {symbol} {timeframe} {CsvTimestamp.Format(time)}: {copies} copies"));
            }

            await Console.Error.WriteLineAsync("Keep one copy of each (docs/timeseries-data/PLATFORM_SCHEMA.md shows how), then run './ktrdr db migrate --add-unique-key' again");
            return CliErrorBoundary.Failed;
        }

        await key.CreateAsync(cancellationToken);
        await output.WriteLineAsync($"--add-unique-key: no bar is stored twice; created unique index {UniqueSeriesKey.IndexName} on price_data (symbol, timeframe, time)");
        return CliErrorBoundary.Ok;
    }
}

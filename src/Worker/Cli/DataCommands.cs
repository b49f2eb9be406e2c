using System.CommandLine;
using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Backends.Timescale;

namespace Ktrdr.Worker.Cli;

/// <summary><c>data show|load|get-range|list-symbols|export|quality</c>: the same answers under either DB_TYPE.</summary>
internal static class DataCommands
{
    private const int Preview = 5;

    public static Command Create()
    {
        var data = new Command("data", "Read bars through the repository (DB_TYPE picks the store)");
        data.Subcommands.Add(Show());
        data.Subcommands.Add(Load());
        data.Subcommands.Add(GetRange());
        data.Subcommands.Add(ListSymbols());
        data.Subcommands.Add(Export());
        data.Subcommands.Add(DataCompareCommand.Create());
        data.Subcommands.Add(QualityCommand.Create());
        return data;
    }

    private static Command Show()
    {
        var (symbol, timeframe) = SeriesArguments();
        var tail = new Option<int>("--tail") { Description = "How many of the latest bars to show", DefaultValueFactory = _ => 10 };
        var command = new Command("show", "Show the latest bars of a series") { symbol, timeframe, tail, KtrdrCli.DataDir };
        command.SetAction((parse, ct) => KtrdrCli.Run(parse, async (repository, output) =>
        {
            var key = CliArguments.Series(parse.GetValue(symbol)!, parse.GetValue(timeframe)!);
            await SeriesOriginText.WriteAsync(repository, key, output, ct);
            var count = Math.Max(0, parse.GetValue(tail));
            var last = new Queue<Bar>(count + 1);
            await foreach (var bar in repository.LoadAsync(key, null, null, ct))
            {
                last.Enqueue(bar);
                if (last.Count > count)
                {
                    last.Dequeue();
                }
            }

            if (last.Count == 0)
            {
                return NoData(key);
            }

            await output.WriteLineAsync(BarText.Header);
            foreach (var bar in last)
            {
                await output.WriteLineAsync(BarText.Line(bar));
            }

            return CliErrorBoundary.Ok;
        }));
        return command;
    }

    private static Command Load()
    {
        var (symbol, timeframe) = SeriesArguments();
        var start = new Option<string?>("--start-date") { Description = "First time included (YYYY-MM-DD or ISO-8601, UTC)" };
        var end = new Option<string?>("--end-date") { Description = "First time excluded" };
        var file = new Option<string?>("--output") { Description = "Write the bars to this CSV file" };
        var command = new Command("load", "Load a series: count, range and a preview") { symbol, timeframe, start, end, file, KtrdrCli.DataDir };
        command.SetAction((parse, ct) => KtrdrCli.Run(parse, async (repository, output) =>
        {
            var key = CliArguments.Series(parse.GetValue(symbol)!, parse.GetValue(timeframe)!);
            await SeriesOriginText.WriteAsync(repository, key, output, ct);
            var bars = repository.LoadAsync(key, CliArguments.Date(parse.GetValue(start), "--start-date"),
                CliArguments.Date(parse.GetValue(end), "--end-date"), ct);
            if (parse.GetValue(file) is { } path)
            {
                var written = await CsvBarWriter.WriteAsync(path, bars, ct);
                await output.WriteLineAsync($"{key.Symbol} {key.Timeframe}: wrote {written} bars to {path}");
                return written == 0 ? NoData(key) : CliErrorBoundary.Ok;
            }

            var head = new List<Bar>(Preview);
            var tail = new Queue<Bar>(Preview + 1);
            long count = 0;
            await foreach (var bar in bars)
            {
                count++;
                if (head.Count < Preview)
                {
                    head.Add(bar);
                    continue;
                }

                tail.Enqueue(bar);
                if (tail.Count > Preview)
                {
                    tail.Dequeue();
                }
            }

            if (count == 0)
            {
                return NoData(key);
            }

            var lastBar = tail.Count > 0 ? tail.Last() : head[^1];
            await output.WriteLineAsync($"{key.Symbol} {key.Timeframe}: {count} bars from {BarText.Time(head[0].Time)} to {BarText.Time(lastBar.Time)}");
            await output.WriteLineAsync(BarText.Header);
            foreach (var bar in head)
            {
                await output.WriteLineAsync(BarText.Line(bar));
            }

            if (count > head.Count + tail.Count)
            {
                await output.WriteLineAsync($"... {count - head.Count - tail.Count} more ...");
            }

            foreach (var bar in tail)
            {
                await output.WriteLineAsync(BarText.Line(bar));
            }

            return CliErrorBoundary.Ok;
        }));
        return command;
    }

    private static Command GetRange()
    {
        var (symbol, timeframe) = SeriesArguments();
        var command = new Command("get-range", "First and last bar time and the bar count") { symbol, timeframe, KtrdrCli.DataDir };
        command.SetAction((parse, ct) => KtrdrCli.Run(parse, async (repository, output) =>
        {
            var key = CliArguments.Series(parse.GetValue(symbol)!, parse.GetValue(timeframe)!);
            await SeriesOriginText.WriteAsync(repository, key, output, ct);
            if (await repository.GetDateRangeAsync(key, ct) is not { } range)
            {
                return NoData(key);
            }

            await output.WriteLineAsync($"{key.Symbol} {key.Timeframe}: {BarText.Time(range.First)} to {BarText.Time(range.Last)} ({range.Count} bars)");
            return CliErrorBoundary.Ok;
        }));
        return command;
    }

    private static Command ListSymbols()
    {
        var timeframe = new Option<string?>("--timeframe") { Description = "Only symbols with data in this timeframe" };
        var command = new Command("list-symbols", "Symbols in the store") { timeframe, KtrdrCli.DataDir };
        command.SetAction((parse, ct) => KtrdrCli.Run(parse, async (repository, output) =>
        {
            var tf = parse.GetValue(timeframe);
            if (tf is not null && !SeriesNames.IsValidTimeframe(tf))
            {
                throw new ArgumentException($"--timeframe '{tf}' is not a valid timeframe (such as 1m, 5m, 1h, 1d)");
            }

            foreach (var s in await repository.ListSymbolsAsync(tf, ct))
            {
                await output.WriteLineAsync(s);
            }

            return CliErrorBoundary.Ok;
        }));
        return command;
    }

    private static Command Export()
    {
        var to = new Option<string>("--to") { Description = "Directory to write SYMBOL_TIMEFRAME.csv files to", Required = true };
        var symbols = new Option<string?>("--symbols") { Description = "Comma-separated symbols (default: all)" };
        var timeframes = new Option<string?>("--timeframes") { Description = "Comma-separated timeframes (default: all)" };
        var command = new Command("export", "Export the database to CSV files (the rollback path)") { to, symbols, timeframes };
        command.SetAction((parse, ct) => KtrdrCli.RunWith(parse, async (services, output) =>
        {
            var wantSymbols = CliArguments.Symbols(parse.GetValue(symbols));
            var wantTimeframes = CliArguments.Timeframes(parse.GetValue(timeframes));
            var database = services.GetRequiredService<IStoredSeriesReader>();
            var directory = parse.GetValue(to)!;
            var series = (await database.ListSeriesAsync(ct))
                .Where(k => k.IsSelectedBy(wantSymbols, wantTimeframes))
                .ToList();
            long total = 0;
            foreach (var key in series)
            {
                if (!SeriesNames.IsValidSymbol(key.Symbol) || !SeriesNames.IsValidTimeframe(key.Timeframe))
                {
                    await Console.Error.WriteLineAsync($"skipped {key}: not a valid file name");
                    continue;
                }

                var path = Path.Combine(directory, $"{key.Symbol}_{key.Timeframe}.csv");
                var count = await CsvBarWriter.WriteAsync(path, database.LoadStoredAsync(key, null, null, ct), ct);
                total += count;
                await output.WriteLineAsync($"{key.Symbol} {key.Timeframe}: {count} bars -> {path}");
            }

            await output.WriteLineAsync($"exported {series.Count} series, {total} bars to {directory}");
            return CliErrorBoundary.Ok;
        }));
        return command;
    }

    private static (Argument<string> Symbol, Argument<string> Timeframe) SeriesArguments() =>
        (new Argument<string>("symbol") { Description = "Symbol, such as AAPL" },
         new Argument<string>("timeframe") { Description = "Timeframe, such as 1d or 5m" });

    private static int NoData(SeriesKey key)
    {
        Console.Error.WriteLine($"no data for {key.Symbol} {key.Timeframe}");
        return CliErrorBoundary.Failed;
    }
}

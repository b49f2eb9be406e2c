using System.CommandLine;
using Ktrdr.Jobs;
using Ktrdr.Worker.Demo;
using Ktrdr.Worker.Hosting;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// <c>demo</c>: writes sample files (several symbols and timeframes, some deliberately bad lines) and migrates them
/// end to end; <c>sample</c>: writes sample files only (for benchmarks and manual tests).
/// </summary>
internal static class DemoCommand
{
    private static readonly (string Symbol, string Timeframe, int Rows, bool Bad)[] DemoFiles =
    [
        ("AAPL", "1d", 2_500, false),
        ("AAPL", "1h", 20_000, true),
        ("MSFT", "1d", 2_500, false),
        ("EURUSD", "1h", 20_000, false),
        ("SPY", "5m", 50_000, true),
        ("GBPUSD", "5m", 30_000, false),
    ];

    public static Command Create()
    {
        var dataDir = new Option<string>("--demo-dir") { Description = "Where the sample data and the report go", DefaultValueFactory = _ => Path.Combine(".ktrdr", "demo") };
        var command = new Command("demo", "Generate sample data and migrate it end to end") { dataDir };
        command.SetAction((parse, ct) => CliErrorBoundary.RunAsync(async () =>
        {
            var root = Path.GetFullPath(parse.GetValue(dataDir)!);
            var data = Path.Combine(root, "data");
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }

            var writer = new SampleDataWriter();
            foreach (var (symbol, timeframe, rows, bad) in DemoFiles)
            {
                await writer.WriteAsync(data, symbol, timeframe, rows, bad, ct);
            }

            await Console.Error.WriteLineAsync(
                $"demo: wrote {DemoFiles.Length} sample files to {data} ({DemoFiles.Count(f => f.Bad)} with deliberately bad lines)");
            var overrides = new Dictionary<string, string?> { ["DATA_DIR"] = data };
            await using var services = KtrdrHost.CreateBuilder(overrides).BuildServices();
            var exit = await MigrationRunner.RunAsync(services, new MigrationRequest(data, Path.Combine(root, "report"), [], []), yes: true, noWait: false, Console.Out, ct);
            await Console.Out.WriteLineAsync($"demo: the report is {Path.Combine(root, "report", "MIGRATION_RESULTS.md")}");
            await Console.Out.WriteLineAsync("demo: try './ktrdr data load AAPL 1d', './ktrdr verify --data-dir " + data + "', './ktrdr serve'");
            return exit;
        }, Console.Error));
        return command;
    }

    public static Command CreateSample()
    {
        var output = new Option<string>("--out") { Description = "Directory to write to", Required = true };
        var symbols = new Option<string>("--symbols") { Description = "Comma-separated symbols", DefaultValueFactory = _ => "AAPL" };
        var timeframes = new Option<string>("--timeframes") { Description = "Comma-separated timeframes", DefaultValueFactory = _ => "1d" };
        var rows = new Option<int>("--rows") { Description = "Good bars per file", DefaultValueFactory = _ => 1000 };
        var bad = new Option<bool>("--bad") { Description = "Add one bad line of each kind to every file" };
        var decimals = new Option<int>("--decimals")
        {
            Description = "Decimal places of the prices, 0 to 10 (real platform files have 2)",
            DefaultValueFactory = _ => SampleDataWriter.DefaultDecimals,
        };
        decimals.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 10)
            {
                result.AddError("--decimals must be between 0 and 10");
            }
        });
        var command = new Command("sample", "Write sample SYMBOL_TIMEFRAME.csv files") { output, symbols, timeframes, rows, bad, decimals };
        command.SetAction((parse, ct) => CliErrorBoundary.RunAsync(async () =>
        {
            var writer = new SampleDataWriter(decimals: parse.GetValue(decimals));
            foreach (var symbol in CliArguments.Symbols(parse.GetValue(symbols)))
            {
                foreach (var timeframe in CliArguments.Timeframes(parse.GetValue(timeframes)))
                {
                    var path = await writer.WriteAsync(parse.GetValue(output)!, symbol, timeframe, parse.GetValue(rows), parse.GetValue(bad), ct);
                    await Console.Out.WriteLineAsync(path);
                }
            }

            return CliErrorBoundary.Ok;
        }, Console.Error));
        return command;
    }
}

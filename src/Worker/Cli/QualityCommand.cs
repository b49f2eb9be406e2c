using System.CommandLine;
using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs.Quality;
using Ktrdr.Jobs.Verification;
using Ktrdr.Worker.Hosting;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// <c>data quality SYMBOL TF</c> and <c>data quality --all</c>: the data-quality checks of series in the database, on
/// demand. Findings are printed and stored (source 'on-demand'); they are warnings: exit 0 unless <c>--fail-on quality</c>.
/// </summary>
internal static class QualityCommand
{
    public static Command Create()
    {
        var symbol = new Argument<string?>("symbol") { Description = "Symbol, such as AAPL (or --all)", Arity = ArgumentArity.ZeroOrOne };
        var timeframe = new Argument<string?>("timeframe") { Description = "Timeframe, such as 1h (or --all)", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Every series in the database (narrowed by --symbols and --timeframes)" };
        var symbols = new Option<string?>("--symbols") { Description = "With --all: comma-separated symbols" };
        var timeframes = new Option<string?>("--timeframes") { Description = "With --all: comma-separated timeframes" };
        var parallel = new Option<int>("--parallel") { Description = "Series checked at once", DefaultValueFactory = _ => VerifyRequest.DefaultParallelism };
        var failOn = FailOn.Create();
        var command = new Command("quality", "Data-quality checks of series in the database: gaps, session shifts, jumps, stale runs, timeframe mismatch (warnings)")
        {
            symbol, timeframe, all, symbols, timeframes, parallel, failOn,
        };
        command.SetAction((parse, ct) => CliErrorBoundary.RunAsync(async () =>
        {
            var failOnValue = FailOn.Value(parse, failOn);
            var wanted = parse.GetValue(all);
            var (s, t) = (parse.GetValue(symbol), parse.GetValue(timeframe));
            if (wanted == (s is not null))
            {
                throw new ArgumentException("give SYMBOL TIMEFRAME (such as 'data quality AAPL 1h') or --all, not both");
            }

            if (!wanted && t is null)
            {
                throw new ArgumentException($"give the timeframe too: 'data quality {s} 1h'");
            }

            if (parse.GetValue(parallel) is < 1 or > 64)
            {
                throw new ArgumentException($"--parallel {parse.GetValue(parallel)}: use 1 to 64");
            }

            await using var services = KtrdrHost.CreateBuilder(KtrdrCli.Overrides(parse)).BuildServices();
            IReadOnlyList<SeriesKey> keys;
            if (wanted)
            {
                var (wantSymbols, wantTimeframes) = (CliArguments.Symbols(parse.GetValue(symbols)), CliArguments.Timeframes(parse.GetValue(timeframes)));
                keys = (await services.GetRequiredService<TimescaleBackend>().ListSeriesAsync(ct)).Where(k => k.IsSelectedBy(wantSymbols, wantTimeframes)).ToList();
            }
            else
            {
                var key = CliArguments.Series(s!, t!);
                if (await services.GetRequiredService<TimescaleBackend>().GetDateRangeAsync(key, ct) is null)
                {
                    await Console.Error.WriteLineAsync($"no data for {key.Symbol} {key.Timeframe} in the database");
                    return CliErrorBoundary.Failed;
                }

                keys = [key];
            }

            var report = await services.GetRequiredService<QualityChecker>().CheckAsync(keys, parse.GetValue(parallel), ct);
            await services.GetRequiredService<QualityStore>().SaveAsync(QualityStore.SourceOnDemand, null, report.Series, ct);
            await QualityText.WriteAsync(report, Console.Out);
            return Exit(report, failOnValue, Console.Error);
        }, Console.Error));
        return command;
    }

    /// <summary>1 when <c>--fail-on quality</c> was given and there are findings (saying so), else 0.</summary>
    public static int Exit(QualityReport report, string? failOn, TextWriter log)
    {
        if (failOn != FailOn.Quality || report.Total == 0)
        {
            return CliErrorBoundary.Ok;
        }

        log.WriteLine($"error: {report.Total} data-quality finding(s) and --fail-on quality");
        return CliErrorBoundary.Failed;
    }
}

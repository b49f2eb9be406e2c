using System.CommandLine;
using System.Globalization;
using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs.Derived;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// <c>data compare SYMBOL TF [--from SOURCE]</c>: a stored series against the series derived for the same timeframe
/// from a finer stored one (the first configured derivation whose source exists, or <c>--from</c>). Exit 0 when it
/// could compare (differences are the answer, not a failure), 1 when either side is missing.
/// </summary>
internal static class DataCompareCommand
{
    public static Command Create()
    {
        var symbol = new Argument<string>("symbol") { Description = "Symbol, such as AAPL" };
        var timeframe = new Argument<string>("timeframe") { Description = "Timeframe stored and derivable, such as 1h" };
        var from = new Option<string?>("--from") { Description = "Source timeframe of the derived side (default: the first configured one with bars)" };
        var command = new Command("compare", "How a stored series differs from the one derived from a finer timeframe (KTRDR_DERIVED_TIMEFRAMES)")
        {
            symbol, timeframe, from,
        };
        command.SetAction((parse, ct) => KtrdrCli.RunWith(parse, async (services, output) =>
        {
            var key = CliArguments.Series(parse.GetValue(symbol)!, parse.GetValue(timeframe)!);
            var database = services.GetRequiredService<IStoredSeriesReader>();
            var derived = services.GetRequiredService<IDerivedBarReader>();
            var candidates = derived.Derivations
                .Where(d => d.Target == key.Timeframe && (parse.GetValue(from) is not { } f || d.Source == f)).ToList();
            if (candidates.Count == 0)
            {
                throw new ArgumentException(
                    $"no derivation gives {key.Timeframe}{(parse.GetValue(from) is { } s ? $" from {s}" : "")}: add SOURCE:{key.Timeframe} to KTRDR_DERIVED_TIMEFRAMES (such as 1m:{key.Timeframe})");
            }

            var stored = (await database.ListSeriesAsync(ct)).ToHashSet();
            var derivation = candidates.FirstOrDefault(d => stored.Contains(new SeriesKey(key.Symbol, d.Source)));
            if (derivation is null || !stored.Contains(key))
            {
                await Console.Error.WriteLineAsync(derivation is null
                    ? $"no stored bars of {key.Symbol} in {string.Join(" or ", candidates.Select(d => d.Source))}: nothing to derive {key} from"
                    : $"no stored bars of {key}: nothing to compare the derived series with (data load {key.Symbol} {key.Timeframe} shows the derived one)");
                return CliErrorBoundary.Failed;
            }

            var difference = new SeriesDifference();
            var storedBars = database.LoadStoredAsync(key, null, null, ct);
            var derivedBars = derived.LoadDerivedAsync(key.Symbol, derivation, null, null, ct);
            await foreach (var (s, d) in BarMerge.JoinAsync(storedBars, derivedBars, ct))
            {
                difference.Add(s, d);
            }

            await WriteAsync(output, key, derivation, difference);
            return CliErrorBoundary.Ok;
        }));
        return command;
    }

    private static async Task WriteAsync(TextWriter output, SeriesKey key, Derivation derivation, SeriesDifference difference)
    {
        await output.WriteLineAsync($"{key}: stored against derived from {derivation.Source}");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"bars in both: {difference.Both:N0}; only stored: {difference.OnlyStored:N0}; only derived: {difference.OnlyDerived:N0}; differing: {difference.Differing:N0}"));
        if (difference.FirstDiffering is { } first)
        {
            await output.WriteLineAsync($"first differing bar: {BarText.Time(first)}");
        }

        var table = new TextTable("field", "max abs diff", "mean abs diff");
        for (var i = 0; i < SeriesDifference.Fields.Count; i++)
        {
            table.Add(SeriesDifference.Fields[i], Number(difference.MaxAbs(i)), Number(difference.MeanAbs(i)));
        }

        await table.WriteAsync(output);
    }

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}

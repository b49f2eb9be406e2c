using Ktrdr.Bench;

// The in-process measurements of ./ktrdr bench (bench/run.sh runs the rest: migrate, psql and memory).
// Each command prints one line of key=value figures for run.sh to read.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    return args.FirstOrDefault() switch
    {
        "parse" when args.Length == 2 => await ParseBench.RunAsync(args[1], cancel.Token),
        "read" when args.Length == 6 => await ReadBench.RunAsync(args[1..], cancel.Token),
        "plan" when args.Length == 5 => await PlanBench.RunAsync(args[1..], cancel.Token),
        "derived-data" when args.Length == 5 => await DerivedBench.WriteDataAsync(args[1..], cancel.Token),
        "verify" when args.Length == 3 => await VerifyBench.RunAsync(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), cancel.Token),
        _ => Usage(),
    };
}
catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or Npgsql.NpgsqlException)
{
    await Console.Error.WriteLineAsync($"ktrdr-bench: error: {ex.Message}");
    return 1;
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage: ktrdr-bench parse DATA_DIR
               ktrdr-bench read SYMBOL TIMEFRAME START END REPEAT   (START/END: ISO-8601 UTC)
               ktrdr-bench plan SYMBOL TIMEFRAME START END            (BENCH_PLAN_DB: superuser connection string)
               ktrdr-bench verify DATA_DIR PARALLEL
               ktrdr-bench derived-data DERIVED_SYMBOL STORED_SYMBOL START END   (1m bars, and their 1h aggregation stored)
        The database comes from DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD (as for ./ktrdr); read serves
        derived timeframes as KTRDR_DERIVED_TIMEFRAMES says.
        """);
    return 2;
}

using System.CommandLine;
using System.Globalization;
using Ktrdr.Backends.Csv;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs.Derived;
using Ktrdr.Jobs.Quality;
using Ktrdr.Jobs.Verification;
using Ktrdr.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// <c>verify</c>: every CSV series against the database, bar by bar and value by value, plus the database-wide
/// integrity checks. Exit 0 when all holds, 1 otherwise; the table goes to stdout, progress to stderr. Then the
/// data-quality checks of the same series (stored as source 'verify'): warnings, unless <c>--fail-on quality</c>.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var symbols = new Option<string?>("--symbols") { Description = "Comma-separated symbols (default: every file in the data directory)" };
        var timeframes = new Option<string?>("--timeframes") { Description = "Comma-separated timeframes (default: all)" };
        var startDate = new Option<string?>("--start-date") { Description = "Compare only bars from this instant on (inclusive; YYYY-MM-DD is 00:00 UTC), as migrate's gap filling" };
        var endDate = new Option<string?>("--end-date") { Description = "Compare only bars up to this instant (inclusive; YYYY-MM-DD includes the whole UTC day)" };
        var parallel = new Option<int>("--parallel") { Description = "Series compared at once", DefaultValueFactory = _ => VerifyRequest.DefaultParallelism };
        var failOn = FailOn.Create();
        var command = new Command("verify", "Compare every CSV series with the database (counts, range, every value) and check the database's integrity")
        {
            KtrdrCli.DataDir, symbols, timeframes, parallel, KtrdrCli.FollowSymlinks, startDate, endDate, failOn,
        };
        command.SetAction((parse, ct) => CliErrorBoundary.RunAsync(async () =>
        {
            var failOnValue = FailOn.Value(parse, failOn);
            var request = new VerifyRequest("", CliArguments.Symbols(parse.GetValue(symbols)), CliArguments.Timeframes(parse.GetValue(timeframes)),
                parse.GetValue(parallel))
            {
                FollowSymlinks = parse.GetValue(KtrdrCli.FollowSymlinks),
                Range = Ktrdr.Jobs.ImportRange.Parse(parse.GetValue(startDate), parse.GetValue(endDate)),
            };
            if (request.Parallelism is < 1 or > 64)
            {
                throw new ArgumentException($"--parallel {request.Parallelism}: use 1 to 64");
            }

            await using var services = KtrdrHost.CreateBuilder(KtrdrCli.Overrides(parse)).BuildServices();
            request = request with { DataDir = services.GetRequiredService<IOptions<CsvOptions>>().Value.DataDir };
            return await RunAsync(services, request, failOnValue, Console.Out, Console.Error, ct);
        }, Console.Error));
        return command;
    }

    public static async Task<int> RunAsync(IServiceProvider services, VerifyRequest request, string? failOn, TextWriter output, TextWriter log, CancellationToken ct)
    {
        var database = services.GetRequiredService<DatabaseOptions>();
        await log.WriteLineAsync($"verify: CSV store {Path.GetFullPath(request.DataDir)} against {database.Describe()}{(request.Range.IsAll ? "" : $"; only bars {request.Range.Describe()}")}");
        if (await services.GetRequiredService<Ktrdr.Backends.Timescale.PriceDataInspector>().RetentionAsync(ct) is { Cutoff: not null } retention)
        {
            await log.WriteLineAsync($"verify: {retention.Describe()}: bars before the cutoff that the database does not hold count as removed by policy, not as differences");
        }

        var report = await services.GetRequiredService<DataVerifier>().VerifyAsync(request, new StderrProgress(log), ct);
        var derived = await services.GetRequiredService<DerivedVerifier>().VerifyAsync(request.Symbols, request.Timeframes, ct);
        await WriteAsync(report, derived, output);

        // Data quality of the same series, read from the database: warnings unless --fail-on quality.
        var keys = report.Series.Where(s => s.DbRows > 0).Select(s => s.Key).Concat(report.DatabaseOnly).ToList();
        var quality = await services.GetRequiredService<QualityChecker>().CheckAsync(keys, request.Parallelism, ct);
        await services.GetRequiredService<QualityStore>().SaveAsync(QualityStore.SourceVerify, null, quality.Series, ct);
        await output.WriteLineAsync();
        await QualityText.WriteAsync(quality, output);
        return report.Passed && derived.All(d => d.Matches) ? QualityCommand.Exit(quality, failOn, log) : CliErrorBoundary.Failed;
    }

    private static async Task WriteAsync(VerificationReport report, IReadOnlyList<DerivedCheck> derived, TextWriter output)
    {
        var table = new TextTable("symbol", "timeframe", "csv bars", "db bars", "expected absent", "first", "last", "result");
        foreach (var s in report.Series)
        {
            table.Add(s.Key.Symbol, s.Key.Timeframe, N(s.CsvRows), N(s.DbRows), N(s.ExpectedAbsent),
                s.CsvFirst is { } f ? BarText.Time(f) : "-", s.CsvLast is { } l ? BarText.Time(l) : "-", Result(s));
        }

        await table.WriteAsync(output);
        var failed = report.Series.Where(s => !s.Matches).ToList();
        if (failed.Count > 0 || report.Unreadable.Count > 0)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync("differences (first ones per series):");
            foreach (var s in failed)
            {
                await output.WriteLineAsync($"  {s.Summary}");
            }

            foreach (var problem in report.Unreadable)
            {
                await output.WriteLineAsync($"  cannot read {problem}");
            }
        }

        foreach (var s in report.Series.Where(s => s.RemovedByRetention > 0))
        {
            await output.WriteLineAsync($"removed by retention policy (not differences): {s.Key}: {N(s.RemovedByRetention)} bars before {BarText.Time(s.RetentionCutoff!.Value)}");
        }

        foreach (var skipped in report.Skipped)
        {
            await output.WriteLineAsync($"skipped (not compared): {skipped}");
        }

        if (report.DatabaseOnly.Count > 0)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync($"only in the database (no CSV file; not a failure): {string.Join(", ", report.DatabaseOnly)}");
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"database-wide checks ({N(report.Integrity.TotalRows)} rows in price_data):");
        foreach (var check in report.Integrity.Checks)
        {
            await output.WriteLineAsync($"  {(check.Passed ? "ok  " : "FAIL")}  {check.Name}: {check.Detail}");
        }

        await DerivedVerifyText.WriteAsync(derived, output);
        await output.WriteLineAsync();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{report.Series.Count} series, {N(report.RowsCompared)} bars compared in {report.CompareElapsed.TotalSeconds:F2} s ({report.RowsPerSecond:N0} rows/s); total {report.Elapsed.TotalSeconds:F2} s"));
        var derivedFailed = derived.Count(d => !d.Matches);
        await output.WriteLineAsync(report.Passed && derivedFailed == 0
            ? "verify: PASSED"
            : $"verify: FAILED ({failed.Count} series differ, {report.Unreadable.Count} unreadable, {report.Integrity.Checks.Count(c => !c.Passed)} integrity check(s) failed, {derivedFailed} derived series differ)");
    }

    private static string Result(Jobs.SeriesComparison s) => s switch
    {
        { Matches: true } => "ok",
        { DbRows: 0, CsvRows: > 0 } => "MISSING in db",
        _ => $"MISMATCH ({N(s.Mismatches)})",
    };

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Progress on stderr: rewritten in place on a terminal, a line every few seconds otherwise.</summary>
    private sealed class StderrProgress(TextWriter log) : IProgress<VerifyProgress>
    {
        private readonly Lock _gate = new();
        private readonly bool _interactive = !Console.IsErrorRedirected;
        private TimeSpan _last = TimeSpan.FromSeconds(-10);

        public void Report(VerifyProgress value)
        {
            var final = value.SeriesDone == value.SeriesTotal;
            lock (_gate)
            {
                if (!final && value.Elapsed - _last < TimeSpan.FromSeconds(_interactive ? 0.2 : 5))
                {
                    return;
                }

                _last = value.Elapsed;
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"verify: {value.SeriesDone}/{value.SeriesTotal} series, {value.Rows:N0} bars, {value.Rows / Math.Max(value.Elapsed.TotalSeconds, 1e-3):N0} rows/s");
                log.Write(_interactive ? $"\r{line}   {(final ? "\n" : "")}" : $"{line}\n");
            }
        }
    }
}

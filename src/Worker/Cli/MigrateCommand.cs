using System.CommandLine;
using Ktrdr.Backends.Csv;
using Ktrdr.Jobs;
using Ktrdr.Jobs.Quality;
using Ktrdr.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace Ktrdr.Worker.Cli;

/// <summary><c>migrate</c>: one import job per file, verification once all are final, MIGRATION_RESULTS.md.</summary>
internal static class MigrateCommand
{
    public static readonly Option<string?> ReportDir = new("--report-dir") { Description = "Where MIGRATION_RESULTS.md goes (default docs/timeseries-data, or KTRDR_REPORT_DIR)" };

    public static Command Create()
    {
        var timeframes = new Option<string?>("--timeframes") { Description = "Comma-separated timeframes (default: all found)" };
        var symbols = new Option<string?>("--symbols") { Description = "Comma-separated symbols (default: all found)" };
        var yes = new Option<bool>("--yes") { Description = "Do not ask for confirmation" };
        var noWait = new Option<bool>("--no-wait") { Description = "Only enqueue the jobs, for running workers" };
        var startDate = new Option<string?>("--start-date")
        {
            Description = "Gap filling: import only bars from this instant on (inclusive; YYYY-MM-DD is 00:00 UTC of that day)",
        };
        var endDate = new Option<string?>("--end-date")
        {
            Description = "Gap filling: import only bars up to this instant (inclusive; YYYY-MM-DD includes the whole UTC day)",
        };
        var dropRetention = new Option<bool>(RetentionGuard.DropOption)
        {
            Description = "When price_data's retention policy would delete planned bars: remove the policy (asks to confirm; --yes confirms)",
        };
        var skipOlder = new Option<bool>(RetentionGuard.SkipOption)
        {
            Description = "When price_data's retention policy would delete planned bars: leave the bars before its cutoff out (counted as 'older than retention' in the report)",
        };
        var failOn = FailOn.Create();
        var command = new Command("migrate",
            "Migrate CSV files into the database and verify them. Timestamps without an offset are taken as UTC (the report counts them per file)")
        {
            KtrdrCli.DataDir, timeframes, symbols, ReportDir, yes, noWait, KtrdrCli.FollowSymlinks, startDate, endDate, failOn, dropRetention, skipOlder,
        };
        command.SetAction((parse, ct) => KtrdrCli.RunWith(parse, async (services, output) =>
        {
            var failOnValue = FailOn.Value(parse, failOn);
            var request = new MigrationRequest(
                services.GetRequiredService<IOptions<CsvOptions>>().Value.DataDir,
                parse.GetValue(ReportDir) ?? services.GetRequiredService<IOptions<MigrationOptions>>().Value.ReportDir,
                CliArguments.Timeframes(parse.GetValue(timeframes)),
                CliArguments.Symbols(parse.GetValue(symbols)),
                parse.GetValue(KtrdrCli.FollowSymlinks))
            {
                // Lines outside the range are counted as "outside the requested range"; verification compares only the range.
                Range = ImportRange.Parse(parse.GetValue(startDate), parse.GetValue(endDate)),
            };
            if (parse.GetValue(dropRetention) && parse.GetValue(skipOlder))
            {
                throw new ArgumentException($"{RetentionGuard.DropOption} and {RetentionGuard.SkipOption} exclude each other: choose one");
            }

            var retention = parse.GetValue(dropRetention) ? RetentionChoice.DropPolicy
                : parse.GetValue(skipOlder) ? RetentionChoice.SkipOlder
                : RetentionChoice.Stop;
            long? runId = null;
            var exit = await MigrationRunner.RunAsync(services, request, parse.GetValue(yes), parse.GetValue(noWait), retention, output, ct, id => runId = id);
            return exit == CliErrorBoundary.Ok && failOnValue is not null && !parse.GetValue(noWait) && runId is { } run
                ? await QualityGate.ExitAsync(services, run, output, ct)
                : exit;
        }));
        return command;
    }
}

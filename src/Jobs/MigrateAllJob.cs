using Hangfire;
using Ktrdr.Backends.Csv;
using Ktrdr.Backends;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ktrdr.Jobs;

/// <summary>
/// The recurring <c>migrate-all</c> job (never scheduled): "Trigger now" in the dashboard starts a migration run of
/// the configured data directory. It only enqueues; the imports and the verification are jobs of their own. Under a
/// retention policy that would delete planned bars it fails before writing anything (<see cref="RetentionGuard"/>):
/// the choice is the user's, on the command line.
/// </summary>
public sealed partial class MigrateAllJob(MigrationPlanner planner, IRetentionReader retention, IOptions<CsvOptions> csv,
    IOptions<MigrationOptions> migration, ILogger<MigrateAllJob> logger)
{
    public const string RecurringId = "migrate-all";

    [JobDisplayName("Migrate all CSV files of the data directory")]
    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        var timeframes = migration.Value.Timeframes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var plan = planner.Plan(new MigrationRequest(csv.Value.DataDir, migration.Value.ReportDir, timeframes, []));

        // Without a terminal, the log is the only place where skipped entries and warnings of the plan show.
        foreach (var skipped in plan.Skipped)
        {
            LogSkipped(skipped.Name, skipped.Reason);
        }

        foreach (var warning in plan.Warnings)
        {
            LogPlanWarning(warning);
        }

        if (await retention.RetentionAsync(cancellationToken) is { Cutoff: { } cutoff } policy
            && await RetentionGuard.ScanAsync(plan, cutoff, cancellationToken) is { Count: > 0 } exposed)
        {
            throw new InvalidOperationException($"migrate-all: {RetentionGuard.StopMessage(policy, exposed, plan.Files.Count)} (in ./ktrdr migrate)");
        }

        return await planner.StartAsync(plan, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "migrate-all: skipping {FileName}: {Reason}")]
    private partial void LogSkipped(string fileName, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "migrate-all: {Warning}")]
    private partial void LogPlanWarning(string warning);
}

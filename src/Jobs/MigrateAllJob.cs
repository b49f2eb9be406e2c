using Hangfire;
using Ktrdr.Backends.Csv;
using Microsoft.Extensions.Options;

namespace Ktrdr.Jobs;

/// <summary>
/// The recurring <c>migrate-all</c> job (never scheduled): "Trigger now" in the dashboard starts a migration run of
/// the configured data directory. It only enqueues; the imports and the verification are jobs of their own.
/// </summary>
public sealed class MigrateAllJob(MigrationPlanner planner, IOptions<CsvOptions> csv, IOptions<MigrationOptions> migration)
{
    public const string RecurringId = "migrate-all";

    [JobDisplayName("Migrate all CSV files of the data directory")]
    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        var timeframes = migration.Value.Timeframes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var plan = MigrationPlanner.Plan(new MigrationRequest(csv.Value.DataDir, migration.Value.ReportDir, timeframes, []));
        return await planner.StartAsync(plan, cancellationToken);
    }
}

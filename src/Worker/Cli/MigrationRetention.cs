using System.Globalization;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// The retention step of <c>migrate</c>, after the plan and before anything is written: with a retention policy on
/// <c>price_data</c>, the planned bars before its cutoff are counted (<see cref="RetentionGuard"/>). None: go on. Some:
/// stop (exit 1) naming the policy, the cutoff, the rows and files and the two choices, unless the user made one.
/// </summary>
internal static class MigrationRetention
{
    /// <returns>The plan to run (with its retention cutoff when bars are left out), or null with the exit code to stop with.</returns>
    public static async Task<(MigrationPlan? Plan, int Exit)> ApplyAsync(IServiceProvider services, MigrationPlan plan, RetentionChoice choice,
        bool yes, TextWriter output, TextWriter log, CancellationToken cancellationToken)
    {
        var table = services.GetRequiredService<PriceDataInspector>();
        if (await table.RetentionAsync(cancellationToken) is not { } policy)
        {
            return (plan, CliErrorBoundary.Ok);
        }

        if (policy.Cutoff is not { } cutoff)
        {
            await log.WriteLineAsync($"warning: {policy.Describe()} deletes chunks by the time they were created, not by the bars' times: imported bars go when their chunks are old enough");
            return (plan, CliErrorBoundary.Ok);
        }

        var exposed = await RetentionGuard.ScanAsync(plan, cutoff, cancellationToken);
        var rows = exposed.Sum(e => e.Bars);
        if (rows == 0)
        {
            await output.WriteLineAsync($"{policy.Describe()}: no planned bar is older than the cutoff");
            return (plan, CliErrorBoundary.Ok);
        }

        switch (choice)
        {
            case RetentionChoice.DropPolicy:
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{policy.Describe()} would delete {rows:N0} planned rows of {exposed.Count} files"));
                if (!yes && !await ConfirmAsync(output, policy))
                {
                    await log.WriteLineAsync("error: the retention policy stays and nothing was written; pass --yes to confirm its removal, or choose --skip-older-than-retention");
                    return (null, Console.IsInputRedirected ? CliErrorBoundary.Usage : CliErrorBoundary.Failed);
                }

                await table.RemoveRetentionPolicyAsync(cancellationToken);
                await output.WriteLineAsync($"removed the retention policy (job {policy.JobId}) of price_data: every bar is imported and kept");
                return (plan, CliErrorBoundary.Ok);
            case RetentionChoice.SkipOlder:
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{policy.Describe()}: leaving out {rows:N0} rows of {exposed.Count} files before the cutoff (counted as \"older than retention\" and listed in the report)"));
                return (plan with { RetentionCutoff = cutoff }, CliErrorBoundary.Ok);
            default:
                await log.WriteLineAsync($"error: {RetentionGuard.StopMessage(policy, exposed, plan.Files.Count)}");
                return (null, CliErrorBoundary.Failed);
        }
    }

    private static async Task<bool> ConfirmAsync(TextWriter output, RetentionPolicy policy)
    {
        if (Console.IsInputRedirected)
        {
            return false;
        }

        await output.WriteAsync($"Remove retention policy job {policy.JobId} (drop_after {policy.DropAfter}) from price_data? Bars older than the cutoff then stay until you delete them. [y/N]: ");
        var answer = Console.ReadLine();
        return answer is not null && answer.Trim().Equals("y", StringComparison.OrdinalIgnoreCase);
    }
}

using System.Globalization;
using Ktrdr.Jobs;
using Ktrdr.Jobs.Reports;
using Microsoft.Extensions.Options;
using Npgsql;
using Ktrdr.Worker.Hosting;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// What <c>migrate</c> and <c>demo</c> do: readiness, the plan, confirmation, the run, and (unless <c>--no-wait</c>)
/// an in-process Hangfire server when no worker is alive, live progress and the summary.
/// </summary>
internal static class MigrationRunner
{
    public static async Task<int> RunAsync(IServiceProvider services, MigrationRequest request, bool yes, bool noWait,
        TextWriter output, CancellationToken cancellationToken) =>
        await RunAsync(services, request, yes, noWait, RetentionChoice.Stop, output, cancellationToken);

    public static async Task<int> RunAsync(IServiceProvider services, MigrationRequest request, bool yes, bool noWait,
        RetentionChoice retention, TextWriter output, CancellationToken cancellationToken, Action<long>? started = null)
    {
        var log = Console.Error;
        if (await MigrationReadiness.CheckAsync(services, log, cancellationToken) is { } problem)
        {
            await log.WriteLineAsync($"error: not ready to migrate: {problem}");
            return CliErrorBoundary.Failed;
        }

        var plan = services.GetRequiredService<MigrationPlanner>().Plan(request);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"migration of {request.DataDir}: {plan.Files.Count} files ({plan.Files.Select(f => f.Symbol).Distinct().Count()} symbols, timeframes {string.Join(",", plan.Files.Select(f => f.Timeframe).Distinct())}), {plan.TotalBytes / 1048576.0:F1} MiB, about {plan.EstimatedRows:N0} rows, about {plan.EstimatedDiskBytes / 1048576.0:F0} MiB in the database"));
        if (!request.Range.IsAll)
        {
            await output.WriteLineAsync($"range: {request.Range.Describe()}; lines outside it are counted as outside the requested range, not imported");
        }

        foreach (var skipped in plan.Skipped)
        {
            await log.WriteLineAsync($"warning: skipping '{skipped.Name}': {skipped.Reason}");
        }

        await output.WriteLineAsync("timestamps without an offset are taken as UTC (the report counts them per file)");
        foreach (var warning in plan.Warnings)
        {
            await log.WriteLineAsync($"warning: {warning}");
        }

        if (plan.Files.Count == 0)
        {
            await log.WriteLineAsync($"error: no SYMBOL_TIMEFRAME.csv files in {request.DataDir} match (symbols: {Show(request.Symbols)}, timeframes: {Show(request.Timeframes)})");
            return CliErrorBoundary.Failed;
        }

        // Before the confirmation: a migration that a retention policy would undo stops here, having written nothing.
        var (guarded, exit) = await MigrationRetention.ApplyAsync(services, plan, retention, yes, output, log, cancellationToken);
        if (guarded is null)
        {
            return exit;
        }

        plan = guarded;
        if (!yes && !await ConfirmAsync(output))
        {
            return Console.IsInputRedirected ? CliErrorBoundary.Usage : CliErrorBoundary.Ok;
        }

        var planner = services.GetRequiredService<MigrationPlanner>();
        using var worker = new InProcessWorker(services, log);
        if (!noWait)
        {
            // Started before the run, so that its workers are listening when the jobs are enqueued: no start-up pause
            // between the run's creation and its first import.
            await worker.EnsureAsync(cancellationToken);
        }

        var store = services.GetRequiredService<MigrationRunStore>();
        var hangfire = services.GetRequiredService<IOptions<HangfireOptions>>().Value;
        var earlier = await EarlierRuns.FindAsync(store, hangfire.InvisibilityTimeout + TimeSpan.FromMinutes(1), log, cancellationToken);
        // A database fault while the run is created and its jobs enqueued is waited out like one during the run.
        var planning = new DatabaseOutage(hangfire.DbOutageDeadline, log,
            "if the run was created, it stays in the database, and './ktrdr serve' enqueues its remaining files and finishes it");
        var runId = await planner.StartAsync(plan, (step, ct) => planning.RideAsync(async c => { await step(c); return true; }, ct), cancellationToken);
        started?.Invoke(runId); // the caller's checks of the finished run (migrate --fail-on quality)
        await output.WriteLineAsync($"run {runId} started: {plan.Files.Count} import jobs enqueued");
        if (noWait)
        {
            await output.WriteLineAsync($"not waiting (--no-wait); follow it with './ktrdr operations status {runId}' or the dashboard");
            return CliErrorBoundary.Ok;
        }

        var resume = $"run {runId} stays in the database; a later './ktrdr migrate' (same options) or './ktrdr serve' finishes it";
        var outage = new DatabaseOutage(hangfire.DbOutageDeadline, log, resume);
        MigrationRun run;
        IReadOnlyList<MigrationItem> items;
        try
        {
            (run, items) = await RunProgress.WaitAsync(store, runId, log, worker.EnsureAsync, outage, cancellationToken);
            if (worker.Running)
            {
                await earlier.WaitAsync(outage, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await StoppedAsync(worker, store, runId, resume, log);
            throw;
        }

        var totals = RunTotals.Of(items);
        var counts = totals.Counts;
        await DerivedRefresh.RunAsync(services, counts.Inserted, output, cancellationToken);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"run {runId} {run.State.ToText()}: {totals.Ok}/{totals.Files} files imported and verified; {counts.Read:N0} rows read, {counts.Inserted:N0} inserted, {counts.AlreadyPresent:N0} already present, {counts.Conflicting:N0} conflicting, {counts.Rejected:N0} rejected{(run.Range.IsAll ? "" : $", {counts.OutsideRange:N0} outside the requested range")}{OlderThanRetention(counts)}"));
        foreach (var item in items.Where(i => ReportStatusText.Of(i) != ReportItemStatus.Ok))
        {
            await output.WriteLineAsync($"  {item.Symbol} {item.Timeframe}: {item.State.ToText()}{(item.Verified == false ? " (verification failed)" : "")}: {item.Error ?? item.VerifyMessage}");
        }

        // A cancelled run has no report; its error says why.
        await output.WriteLineAsync(run.ReportPath is { } reportPath ? $"report: {reportPath}" : $"no report: {run.Error}");
        return run.State == RunState.Succeeded ? CliErrorBoundary.Ok : CliErrorBoundary.Failed;
    }

    /// <summary>
    /// Ctrl-C: stops this process's worker first (its running imports are cancelled and requeued at once, and its
    /// server record goes, so the next <c>migrate</c> does not wait for it), then says what was left and how to resume.
    /// </summary>
    private static async Task StoppedAsync(InProcessWorker worker, MigrationRunStore store, long runId, string resume, TextWriter log)
    {
        await log.WriteLineAsync();
        if (worker.Running)
        {
            await log.WriteLineAsync("stopping the worker in this process: its unfinished imports go back to the queue");
            worker.Dispose();
        }

        // The command's token is cancelled; a short one of its own, so that a database that is down does not hold the exit.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var left = "importing";
        try
        {
            var state = ((await store.GetRunAsync(runId, limit.Token))?.State ?? RunState.Importing).ToText();
            var items = await store.GetItemsAsync(runId, limit.Token);
            var totals = RunTotals.Of(items);
            left = string.Create(CultureInfo.InvariantCulture, $"{state} with {totals.Final}/{totals.Files} files imported");
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException)
        {
            left = "unfinished (how far it got is unknown: the database did not answer)";
        }

        await log.WriteLineAsync($"interrupted: run {runId} left {left}; {resume}, or './ktrdr operations cancel {runId}' abandons it");
    }

    private static async Task<bool> ConfirmAsync(TextWriter output)
    {
        if (Console.IsInputRedirected)
        {
            await Console.Error.WriteLineAsync("error: refusing to start without confirmation: there is no terminal to ask. Pass --yes to confirm.");
            return false;
        }

        await output.WriteAsync("This imports the files above into the database. It is idempotent. Continue? [y/N]: ");
        var answer = Console.ReadLine();
        return answer is not null && answer.Trim().Equals("y", StringComparison.OrdinalIgnoreCase);
    }

    private static string OlderThanRetention(ItemCounts counts) =>
        counts.OlderThanRetention is > 0 and var older
            ? string.Create(CultureInfo.InvariantCulture, $", {older:N0} older than retention (left out)")
            : "";

    private static string Show(IReadOnlyList<string> values) => values.Count == 0 ? "all" : string.Join(",", values);
}

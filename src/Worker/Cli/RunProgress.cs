using System.Diagnostics;
using System.Globalization;
using Ktrdr.Jobs;

namespace Ktrdr.Worker.Cli;

/// <summary>Waits for a run to finish, printing files done, rows, rows/s and failures as it goes; returns the final run and its items.</summary>
internal static class RunProgress
{
    public static Task<(MigrationRun Run, IReadOnlyList<MigrationItem> Items)> WaitAsync(MigrationRunStore store, long runId, TextWriter log, CancellationToken cancellationToken) =>
        WaitAsync(store, runId, log, _ => Task.CompletedTask, null, cancellationToken);

    /// <summary>
    /// As above; <c>everyPoll</c> runs before each look at the run (migrate: make sure a worker is there), and
    /// <c>outage</c> rides out an unreachable database (null: its first fault ends the wait).
    /// </summary>
    public static async Task<(MigrationRun Run, IReadOnlyList<MigrationItem> Items)> WaitAsync(MigrationRunStore store, long runId, TextWriter log,
        Func<CancellationToken, Task> everyPoll, DatabaseOutage? outage, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var lastPrint = TimeSpan.FromSeconds(-10);
        var interactive = !Console.IsErrorRedirected;
        long? firstRows = null;
        var firstSeen = TimeSpan.Zero;
        while (true)
        {
            var look = async (CancellationToken ct) =>
            {
                await everyPoll(ct);
                return (await store.GetRunAsync(runId, ct), await store.GetItemsAsync(runId, ct));
            };
            var (found, items) = outage is null ? await look(cancellationToken) : await outage.RideAsync(look, cancellationToken);
            var run = found ?? throw new InvalidOperationException(
                $"run {runId} is no longer in migration_runs (was the database reset or the run deleted?); see './ktrdr operations list'");
            var totals = RunTotals.Of(items);
            var (done, failed, rows) = (totals.Final, totals.Failed, totals.RowsDone);
            // The rate counts only rows done while this process watched: rows done before the first look (by workers
            // that started while the jobs were still being enqueued, or by an earlier attempt of a resumed item) over
            // a few milliseconds of watching made rates like 670,448 rows/s.
            if (firstRows is null)
            {
                (firstRows, firstSeen) = (rows, clock.Elapsed);
            }

            var watched = (clock.Elapsed - firstSeen).TotalSeconds;
            var rate = watched < 0.5 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(rows - firstRows.Value, 0) / watched:N0}");
            var line = string.Create(CultureInfo.InvariantCulture,
                $"run {runId}: {done}/{items.Count} files, {rows:N0} rows, {rate} rows/s, {failed} failed, {run.State.ToText()}");
            if (run.State.IsFinal())
            {
                await log.WriteLineAsync(interactive ? $"\r{line}" : line);
                return (run, items);
            }

            if (interactive)
            {
                await log.WriteAsync($"\r{line}   ");
            }
            else if (clock.Elapsed - lastPrint >= TimeSpan.FromSeconds(5))
            {
                await log.WriteLineAsync(line);
                lastPrint = clock.Elapsed;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }
}

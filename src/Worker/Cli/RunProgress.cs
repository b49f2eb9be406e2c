using System.Diagnostics;
using System.Globalization;
using Ktrdr.Jobs;

namespace Ktrdr.Worker.Cli;

/// <summary>Waits for a run to finish, printing files done, rows, rows/s and failures as it goes; returns the final run and its items.</summary>
internal static class RunProgress
{
    public static async Task<(MigrationRun Run, IReadOnlyList<MigrationItem> Items)> WaitAsync(MigrationRunStore store, long runId, TextWriter log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var lastPrint = TimeSpan.FromSeconds(-10);
        var interactive = !Console.IsErrorRedirected;
        while (true)
        {
            var run = await store.GetRunAsync(runId, cancellationToken) ?? throw new InvalidOperationException(
                $"run {runId} is no longer in migration_runs (was the database reset or the run deleted?); see './ktrdr operations list'");
            var items = await store.GetItemsAsync(runId, cancellationToken);
            var done = items.Count(i => i.IsFinal);
            var failed = items.Count(i => i.State == ItemStates.Failed);
            var rows = items.Sum(i => i.RowsDone);
            var line = string.Create(CultureInfo.InvariantCulture,
                $"run {runId}: {done}/{items.Count} files, {rows:N0} rows, {rows / Math.Max(clock.Elapsed.TotalSeconds, 0.001):N0} rows/s, {failed} failed, {run.State}");
            if (RunStates.IsFinal(run.State))
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

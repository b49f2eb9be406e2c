using System.Diagnostics;
using System.Globalization;
using Ktrdr.Jobs;

namespace Ktrdr.Worker.Cli;

/// <summary>
/// Runs an earlier <c>migrate</c> left unfinished (Ctrl-C, kill -9, a lost database) when this one started. Their jobs
/// are in the same queue, so the worker in this process takes them too; the command waits for them before it exits,
/// so that "a later migrate finishes it" holds and its worker is not stopped with their jobs half done.
/// </summary>
/// <param name="store">The run store.</param>
/// <param name="runIds">The runs not final when this command started.</param>
/// <param name="stallLimit">
/// How long a run may show no progress before the command stops waiting for it: the jobs of a killed worker come back
/// only after Hangfire's invisibility timeout, so this is longer than that.
/// </param>
/// <param name="log">Where the waiting is reported.</param>
internal sealed class EarlierRuns(MigrationRunStore store, IReadOnlyList<long> runIds, TimeSpan stallLimit, TextWriter log)
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    public static async Task<EarlierRuns> FindAsync(MigrationRunStore store, TimeSpan stallLimit, TextWriter log, CancellationToken cancellationToken) =>
        new(store, await store.UnfinishedRunsAsync(cancellationToken), stallLimit, log);

    /// <summary>
    /// Waits until each earlier run is final, or has made no progress for the stall limit (it is then left to
    /// <c>serve</c> or the watchdog, and said so).
    /// </summary>
    public async Task WaitAsync(DatabaseOutage outage, CancellationToken cancellationToken)
    {
        foreach (var runId in runIds)
        {
            var stalled = Stopwatch.StartNew();
            (RunState State, int Final, long Rows)? last = null;
            var said = false;
            while (true)
            {
                var (run, items) = await outage.RideAsync(async ct => (await store.GetRunAsync(runId, ct), await store.GetItemsAsync(runId, ct)), cancellationToken);
                if (run is null || run.State.IsFinal())
                {
                    if (said && run is not null)
                    {
                        await log.WriteLineAsync($"run {runId} (left by an earlier migrate) {run.State.ToText()}");
                    }

                    break;
                }

                var unqueued = items.Count(i => i.JobId is null && !i.IsFinal);
                if (unqueued > 0)
                {
                    // Its migrate stopped while enqueuing: only the watchdog enqueues the rest, once the run is older
                    // than its grace period, so waiting here would be for nothing.
                    await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"run {runId} (left by an earlier migrate) has {unqueued} of {items.Count} files never enqueued: a running './ktrdr serve' enqueues them {RunWatchdogJob.EnqueueGrace.TotalMinutes:F0} minutes after the run started and finishes it, or './ktrdr operations cancel {runId}' abandons it"));
                    break;
                }

                var totals = RunTotals.Of(items);
                var now = (run.State, totals.Final, totals.RowsDone);
                if (last != now)
                {
                    if (!said)
                    {
                        await log.WriteLineAsync($"finishing run {runId}, left unfinished by an earlier migrate ({now.Item2}/{items.Count} files done): its jobs are in the same queue");
                        said = true;
                    }

                    last = now;
                    stalled.Restart();
                }
                else if (stalled.Elapsed >= stallLimit)
                {
                    await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"run {runId} (left by an earlier migrate) made no progress for {stallLimit.TotalSeconds:F0}s and stays {run.State.ToText()}: './ktrdr serve' finishes it, or './ktrdr operations cancel {runId}' abandons it"));
                    break;
                }

                await Task.Delay(Poll, cancellationToken);
            }
        }
    }
}

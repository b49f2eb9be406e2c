using Hangfire;
using Hangfire.States;
using Ktrdr.Jobs;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;

namespace Ktrdr.Tests.Jobs;

/// <summary>
/// A person requeues a failed import (what the dashboard's "Requeue jobs" does, without a browser): the state filter
/// marks the job, the job reopens its item, and the same run ends succeeded. A requeued job that had succeeded imports
/// nothing again.
/// </summary>
[NonParallelizable] // Hangfire in this process (JobsHarness.StartServer)
public sealed class RequeueAfterFailureTests
{
    [Test]
    [CancelAfter(300_000)]
    public async Task A_failed_import_requeued_after_the_file_is_fixed_reopens_its_item_and_the_same_run_succeeds(CancellationToken cancellationToken)
    {
        await using var harness = await JobsHarness.CreateAsync("requeue");
        var writer = new SampleDataWriter();
        await writer.WriteAsync(harness.DataDir, "GOOD", "1d", 50, withBadLines: false, cancellationToken);
        var broken = Path.Combine(harness.DataDir, "FIXME_1d.csv");
        await File.WriteAllTextAsync(broken, "timestamp,open,high,low,close\n2024-01-01,10,11,9,10.5\n", cancellationToken);
        harness.StartServer("requeue");

        var runId = await harness.StartRunAsync();
        var first = await harness.WaitForRunAsync(runId, cancellationToken: cancellationToken);
        Assert.That(first.State, Is.EqualTo(RunState.Partial), first.Error);
        var failed = (await harness.Store.GetItemsAsync(runId, cancellationToken)).Single(i => i.Symbol == "FIXME");
        Assert.That(failed.State, Is.EqualTo(ItemState.Failed));
        var good = (await harness.Store.GetItemsAsync(runId, cancellationToken)).Single(i => i.Symbol == "GOOD");

        File.Delete(broken);
        await writer.WriteAsync(harness.DataDir, "FIXME", "1d", 20, withBadLines: false, cancellationToken);
        var jobs = harness.Services.GetRequiredService<IBackgroundJobClient>();
        Assert.That(jobs.ChangeState(failed.JobId!, new EnqueuedState(), FailedState.StateName), Is.True, "the failed job was requeued");
        // A job that succeeded, requeued as well: it is not marked, and its item is not imported again.
        Assert.That(jobs.ChangeState(good.JobId!, new EnqueuedState(), SucceededState.StateName), Is.True, "the succeeded job was requeued");

        var run = await WaitForStateAsync(harness, runId, RunState.Succeeded, cancellationToken);
        var items = await harness.Store.GetItemsAsync(runId, cancellationToken);
        var reopened = items.Single(i => i.Symbol == "FIXME");
        var again = items.Single(i => i.Symbol == "GOOD");
        using var connection = harness.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Multiple(() =>
        {
            Assert.That(run.Id, Is.EqualTo(first.Id), "the requeue completes the same run");
            Assert.That(reopened.State, Is.EqualTo(ItemState.Succeeded), reopened.Error);
            Assert.That(reopened.Inserted, Is.EqualTo(20));
            Assert.That(reopened.Attempts, Is.EqualTo(1), "the reopened item started over");
            Assert.That(items.Select(i => i.Verified), Is.All.True);
            Assert.That(again.Inserted, Is.EqualTo(50), "the succeeded item was not imported again");
            Assert.That(connection.GetJobParameter(failed.JobId, RequeueAfterFailureFilter.ParameterName), Is.EqualTo("true"));
            Assert.That(connection.GetJobParameter(good.JobId, RequeueAfterFailureFilter.ParameterName), Is.EqualTo("false"));
        });
    }

    /// <summary>Waits for the run to reach <paramref name="state"/>: right after a requeue it is still final (partial) until the job reopens it.</summary>
    private static async Task<MigrationRun> WaitForStateAsync(JobsHarness harness, long runId, RunState state, CancellationToken cancellationToken)
    {
        while (true)
        {
            var run = await harness.Store.GetRunAsync(runId, CancellationToken.None);
            if (run?.State == state)
            {
                return run;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                var items = await harness.Store.GetItemsAsync(runId, CancellationToken.None);
                Assert.Fail($"run {runId} did not reach {state}: it is {run?.State.ToText() ?? "(missing)"}; items: " +
                            string.Join("; ", items.Select(i => $"{i.Symbol} {i.State} attempts {i.Attempts} {i.Error}")));
            }

            await Task.Delay(200, CancellationToken.None);
        }
    }
}

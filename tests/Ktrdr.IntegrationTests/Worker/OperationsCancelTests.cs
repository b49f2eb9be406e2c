using Ktrdr.Jobs;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;

namespace Ktrdr.Tests.Worker;

/// <summary><c>operations cancel</c> through the real CLI, on a run whose jobs wait for a worker that is not running.</summary>
[NonParallelizable] // Hangfire's client in this process (JobsHarness.StartRunAsync enqueues)
public sealed class OperationsCancelTests
{
    private JobsHarness _harness = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _harness = await JobsHarness.CreateAsync("cancel");
        foreach (var symbol in new[] { "CNA", "CNB", "CNC" })
        {
            await new SampleDataWriter().WriteAsync(_harness.DataDir, symbol, "1d", 100, withBadLines: false, CancellationToken.None);
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _harness.DisposeAsync();

    [Test]
    public async Task Cancel_deletes_the_runs_jobs_fails_its_unfinished_files_as_cancelled_and_closes_the_run()
    {
        var runId = await _harness.StartRunAsync();

        var result = await CliProcess.RunAsync(_harness.Settings, "operations", "cancel", $"run:{runId}");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.Contain($"run:{runId} cancelled: 3 unfinished files failed as cancelled, 3 import jobs deleted"));
        var run = await _harness.Store.GetRunAsync(runId, CancellationToken.None);
        Assert.That(run!.State, Is.EqualTo(RunState.Cancelled));
        Assert.That(run.State.IsFinal());
        Assert.That(run.FinishedAt, Is.Not.Null);
        Assert.That(run.Error, Does.Contain("cancelled by './ktrdr operations cancel'").And.Contain("no verification or report"));
        var items = await _harness.Store.GetItemsAsync(runId, CancellationToken.None);
        Assert.That(items.Select(i => (i.State, i.Error)), Is.All.EqualTo((ItemState.Failed, (string?)RunLifecycleStore.CancelledError)));
        var jobStates = await _harness.ScalarAsync(
            "SELECT count(*) FROM hangfire.job WHERE id = ANY (@ids) AND statename = 'Deleted'",
            new { ids = items.Select(i => long.Parse(i.JobId!, System.Globalization.CultureInfo.InvariantCulture)).ToArray() });
        Assert.That(jobStates, Is.EqualTo(3));

        var again = await CliProcess.RunAsync(_harness.Settings, "operations", "cancel", runId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(again.ExitCode, Is.EqualTo(1));
        Assert.That(again.Stderr, Does.Contain($"run {runId} is cancelled, not importing"));
    }

    [Test]
    public async Task Cancel_of_an_unknown_run_fails_and_says_where_to_find_ids()
    {
        var result = await CliProcess.RunAsync(_harness.Settings, "operations", "cancel", "run:987654");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain("no run 987654: see './ktrdr operations list'"));
    }
}

using Ktrdr.Jobs;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;

namespace Ktrdr.Tests.Jobs;

/// <summary>Real worker processes on one storage: sharing a run, and recovering from a SIGKILL mid-import.</summary>
[NonParallelizable] // Hangfire's client in this process (JobsHarness.StartRunAsync enqueues)
public sealed class WorkerProcessTests
{
    [Test]
    [CancelAfter(420_000)]
    public async Task Two_worker_processes_share_a_run_and_the_verification_job_runs_exactly_once(CancellationToken cancellationToken)
    {
        await using var harness = await JobsHarness.CreateAsync("share");
        var writer = new SampleDataWriter();
        for (var i = 0; i < 8; i++)
        {
            await writer.WriteAsync(harness.DataDir, $"S{i}", "5m", 40_000, withBadLines: false, CancellationToken.None);
        }

        using var first = await WorkerProcess.StartAsync(harness.Settings);
        using var second = await WorkerProcess.StartAsync(harness.Settings);
        var runId = await harness.StartRunAsync();
        var run = await harness.WaitForRunAsync(runId, cancellationToken: cancellationToken);

        Assert.That(run.State, Is.EqualTo(RunState.Succeeded));
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM price_data"), Is.EqualTo(8 * 40_000));
        var servers = await harness.ScalarAsync("""
            SELECT count(DISTINCT s.data::json->>'ServerId') FROM hangfire.state s JOIN hangfire.job j ON j.id = s.jobid
            WHERE s.name = 'Processing' AND j.invocationdata::text LIKE '%ImportFileJob%'
            """);
        Assert.That(servers, Is.EqualTo(2), "both worker processes imported files");
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%VerifyRunJob%'"), Is.EqualTo(1));
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM hangfire.state s JOIN hangfire.job j ON j.id = s.jobid WHERE s.name = 'Succeeded' AND j.invocationdata::text LIKE '%VerifyRunJob%'"), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(480_000)]
    public async Task A_worker_killed_mid_import_is_recovered_by_another_and_the_final_state_is_exact(CancellationToken cancellationToken)
    {
        const int rows = 1_500_000;
        await using var harness = await JobsHarness.CreateAsync("kill");
        var writer = new SampleDataWriter();
        await writer.WriteAsync(harness.DataDir, "BIG", "1m", rows, withBadLines: true, CancellationToken.None);
        await writer.WriteAsync(harness.DataDir, "SMALL", "1d", 1000, withBadLines: false, CancellationToken.None);

        var victim = await WorkerProcess.StartAsync(harness.Settings);
        var runId = await harness.StartRunAsync();
        var big = (await harness.Store.GetItemsAsync(runId, CancellationToken.None)).Single(i => i.Symbol == "BIG");
        await harness.WaitForRowsAsync(big.Id, 200_000, cancellationToken: cancellationToken);

        victim.Kill();
        victim.Dispose();
        Assert.That((await harness.Store.GetItemAsync(big.Id, CancellationToken.None))!.State, Is.EqualTo(ItemState.Processing), "killed mid-import");

        using var rescuer = await WorkerProcess.StartAsync(harness.Settings);
        var run = await harness.WaitForRunAsync(runId, TimeSpan.FromMinutes(4), cancellationToken: cancellationToken);
        var item = (await harness.Store.GetItemAsync(big.Id, CancellationToken.None))!;

        Assert.That(run.State, Is.EqualTo(RunState.Succeeded));
        Assert.That(item.Attempts, Is.EqualTo(2));
        Assert.That((item.Inserted, item.Rejected, item.Verified), Is.EqualTo(((long?)rows, (long?)(SampleDataWriter.BadLines.Length + 1), (bool?)true)));
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM price_data WHERE symbol = 'BIG'"), Is.EqualTo(rows));
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM rejected_rows WHERE item_id = @id", new { id = big.Id }), Is.EqualTo(SampleDataWriter.BadLines.Length + 1));
    }
}

using Dapper;
using Ktrdr.Jobs;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;
using Npgsql;

namespace Ktrdr.Tests.Worker;

/// <summary>A <c>migrate</c> stopped mid-run (Ctrl-C, kill -9), then run again at once: the second one completes exactly.</summary>
public sealed class MigrateInterruptTests
{
    private static readonly string[] Symbols = ["INTA", "INTB", "INTC"];
    private const int Rows = 150_000;

    [Test]
    [CancelAfter(240_000)]
    public async Task Ctrl_c_stops_the_in_process_worker_says_how_to_resume_and_an_immediate_rerun_completes_exactly(CancellationToken cancellationToken)
    {
        await using var harness = await CreateAsync("int_sigint", cancellationToken);
        using (var first = RunningCli.Start(Interruptible(harness), "migrate", "--yes"))
        {
            await first.WaitForStderrAsync("processing the jobs in this process", cancellationToken);
            await WaitForAnyRowsAsync(harness, cancellationToken);

            // Holds the imports at their next progress or resume-point write while the signal lands: an idle machine
            // otherwise finished all three files before it (exit 0 instead of 130).
            await using (var hold = new NpgsqlConnection(harness.ConnectionString))
            {
                await hold.OpenAsync(cancellationToken);
                await using var transaction = await hold.BeginTransactionAsync(cancellationToken);
                await hold.ExecuteAsync("LOCK TABLE migration_items IN EXCLUSIVE MODE", transaction: transaction);
                await first.SignalAsync("INT", cancellationToken);
                await Task.Delay(500, cancellationToken);
            }

            var stopped = await first.WaitForExitAsync(cancellationToken);
            Assert.That(stopped.ExitCode, Is.EqualTo(130), stopped.Stderr);
            Assert.That(stopped.Stderr, Does.Contain("stopping the worker in this process: its unfinished imports go back to the queue")
                .And.Contain("interrupted: run 1 left").And.Contain("a later './ktrdr migrate' (same options) or './ktrdr serve' finishes it"));
        }

        var second = await CliProcess.RunAsync(harness.Settings, "migrate", "--yes");

        // The first process removed its server record on the way out: the second does not wait for it.
        Assert.That(second.ExitCode, Is.EqualTo(0), second.Stderr);
        Assert.That(second.Stderr, Does.Contain("no worker is running: processing the jobs in this process"));
        await AssertExactAsync(harness, runId: 2);
    }

    [Test]
    [CancelAfter(240_000)]
    public async Task After_kill_9_an_immediate_rerun_stops_waiting_for_the_silent_worker_and_completes_exactly(CancellationToken cancellationToken)
    {
        await using var harness = await CreateAsync("int_sigkill", cancellationToken);
        using (var first = RunningCli.Start(Interruptible(harness), "migrate", "--yes"))
        {
            await first.WaitForStderrAsync("processing the jobs in this process", cancellationToken);
            await WaitForAnyRowsAsync(harness, cancellationToken);
            await first.SignalAsync("KILL", cancellationToken);
            await first.WaitForExitAsync(cancellationToken);
        }

        var second = await CliProcess.RunAsync(harness.Settings, "migrate", "--yes");

        // The killed process left a server record behind; only its heartbeat going stale lets the second one go on.
        Assert.That(second.ExitCode, Is.EqualTo(0), second.Stderr);
        Assert.That(second.Stderr, Does.Contain("processing the jobs in this process"));
        await AssertExactAsync(harness, runId: 2);
    }

    private static async Task<JobsHarness> CreateAsync(string prefix, CancellationToken cancellationToken)
    {
        var harness = await JobsHarness.CreateAsync(prefix);
        foreach (var symbol in Symbols)
        {
            await new SampleDataWriter().WriteAsync(harness.DataDir, symbol, "1m", Rows, withBadLines: false, cancellationToken);
        }

        return harness;
    }

    /// <summary>
    /// The first process's settings: small batches, so that rows are committed within moments of the start and most of
    /// the import is still ahead when the signal lands (with one batch per file, an idle machine finished all three
    /// files before the signal and the process exited 0).
    /// </summary>
    private static Dictionary<string, string?> Interruptible(JobsHarness harness) =>
        new(harness.Settings) { ["KTRDR_IMPORT_BATCH_ROWS"] = "2000" };

    /// <summary>Interrupts mid-import, not before the first batch is committed.</summary>
    private static async Task WaitForAnyRowsAsync(JobsHarness harness, CancellationToken cancellationToken)
    {
        while (await harness.ScalarAsync("SELECT count(*) FROM price_data") == 0)
        {
            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task AssertExactAsync(JobsHarness harness, long runId)
    {
        // The run the interrupted process left: the re-run's worker took its jobs too, and the command waited for it.
        var first = await harness.Store.GetRunAsync(1, CancellationToken.None);
        var firstItems = await harness.Store.GetItemsAsync(1, CancellationToken.None);
        Assert.That(first!.State, Is.EqualTo(RunState.Succeeded), string.Join("; ", firstItems.Select(i => $"{i.Symbol} {i.State} {i.JobId} {i.Error}")));
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM migration_runs WHERE id = @runId AND state = @state",
            new { runId, state = RunState.Succeeded.ToText() }), Is.EqualTo(1), "the re-run succeeded (imported and verified)");
        foreach (var symbol in Symbols)
        {
            Assert.That(await harness.ScalarAsync("SELECT count(*) FROM price_data WHERE symbol = @symbol AND timeframe = '1m'", new { symbol }),
                Is.EqualTo(Rows), $"{symbol} 1m has exactly its file's rows");
        }
    }
}

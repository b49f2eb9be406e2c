using Ktrdr.Jobs;
using Ktrdr.Jobs.Reports;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;

namespace Ktrdr.Tests.Jobs;

/// <summary>
/// Whole runs through a real Hangfire server on a real PostgreSQL. The tests share one database and its first run (started
/// by whichever test needs it first), so each passes or fails on its own, in any order.
/// </summary>
[NonParallelizable] // Hangfire in this process (JobsHarness.StartServer)
public sealed class MigrationRunTests
{
    private const int Rows = 3000;
    private static readonly string[] Symbols = ["AAPL", "MSFT", "EURUSD", "SPY"];
    private JobsHarness _harness = null!;
    private long? _firstRunId;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _harness = await JobsHarness.CreateAsync("runs");
        var writer = new SampleDataWriter();
        foreach (var symbol in Symbols)
        {
            await writer.WriteAsync(_harness.DataDir, symbol, "1d", Rows, withBadLines: symbol is "AAPL" or "SPY", CancellationToken.None);
            await writer.WriteAsync(_harness.DataDir, symbol, "1h", Rows, withBadLines: false, CancellationToken.None);
        }

        await File.WriteAllTextAsync(Path.Combine(_harness.DataDir, "BROKEN_1d.csv"), "timestamp,price,volume\n2024-01-01,1,2\n");
        _harness.StartServer("runs");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _harness.DisposeAsync();

    /// <summary>The first run over the fresh database (the one that inserts every good bar), started once.</summary>
    private async Task<long> FirstRunAsync(CancellationToken cancellationToken)
    {
        _firstRunId ??= await RunAsync(cancellationToken);
        return _firstRunId.Value;
    }

    private async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        var runId = await _harness.StartRunAsync();
        await _harness.WaitForRunAsync(runId, cancellationToken: cancellationToken);
        return runId;
    }

    [Test, CancelAfter(600_000)]
    public async Task A_run_over_many_files_leaves_the_database_equal_to_the_good_rows_and_reports_the_bad_ones(CancellationToken cancellationToken)
    {
        var runId = await FirstRunAsync(cancellationToken);
        var run = (await _harness.Store.GetRunAsync(runId, CancellationToken.None))!;
        var items = await _harness.Store.GetItemsAsync(runId, CancellationToken.None);

        Assert.That(run.State, Is.EqualTo(RunState.Partial), "one file has no price columns");
        Assert.That(items, Has.Count.EqualTo(Symbols.Length * 2 + 1));
        var good = items.Where(i => i.Symbol != "BROKEN").ToList();
        Assert.That(good.Select(i => (i.State, i.Verified)), Is.All.EqualTo((ItemState.Succeeded, (bool?)true)));
        Assert.That(good.Select(i => i.RowsRead), Is.All.EqualTo(Rows).Or.EqualTo(Rows + SampleDataWriter.BadLines.Length + 1));
        Assert.That(good.All(i => i.RowsRead == i.Inserted + i.AlreadyPresent + i.Conflicting + i.Rejected), "read = inserted + present + conflicting + rejected");
        Assert.That(good.Sum(i => i.Inserted), Is.EqualTo(Symbols.Length * 2 * Rows));
        Assert.That(await _harness.ScalarAsync("SELECT count(*) FROM price_data"), Is.EqualTo(Symbols.Length * 2 * Rows));

        var broken = items.Single(i => i.Symbol == "BROKEN");
        Assert.That(broken.State, Is.EqualTo(ItemState.Failed));
        Assert.That(broken.Attempts, Is.EqualTo(1), "a permanent fault is not retried");
        Assert.That(broken.Error, Does.Contain("BROKEN_1d.csv").And.Contain("open, high, low, close"));

        var rejected = await _harness.ScalarAsync("SELECT count(*) FROM rejected_rows r JOIN migration_items i ON i.id = r.item_id WHERE i.run_id = @runId", new { runId });
        Assert.That(rejected, Is.EqualTo(2 * (SampleDataWriter.BadLines.Length + 1)));
        var report = await File.ReadAllTextAsync(run.ReportPath!, cancellationToken);
        Assert.That(report, Does.Contain("PARTIAL (1 failures)").And.Contain("BROKEN").And.Contain("not-a-date,1,2,0.5,1.5,100")
            .And.Contain(SampleDataWriter.RepeatReason).And.Contain("| AAPL | 1d |"));
        Assert.That(Directory.GetFiles(_harness.ReportDir, $"migration_results_*_run{runId}.json"), Has.Length.EqualTo(1));
    }

    [Test, CancelAfter(900_000)]
    public async Task A_second_run_adds_nothing_and_counts_every_bar_as_already_present(CancellationToken cancellationToken)
    {
        await FirstRunAsync(cancellationToken);
        var before = await _harness.ScalarAsync("SELECT count(*) FROM price_data");
        Assert.That(before, Is.EqualTo(Symbols.Length * 2 * Rows), "the first run imported every good bar");
        var runId = await RunAsync(cancellationToken);
        var items = (await _harness.Store.GetItemsAsync(runId, CancellationToken.None)).Where(i => i.Symbol != "BROKEN").ToList();
        Assert.That(items, Has.Count.EqualTo(Symbols.Length * 2));
        Assert.That(items.Select(i => i.Inserted), Is.All.EqualTo(0));
        Assert.That(items.Sum(i => i.AlreadyPresent), Is.EqualTo(before));
        Assert.That(await _harness.ScalarAsync("SELECT count(*) FROM price_data"), Is.EqualTo(before));
        Assert.That(items.Select(i => i.Verified), Is.All.True);
    }

    [Test, CancelAfter(600_000)]
    public async Task The_verification_job_is_enqueued_exactly_once_per_run(CancellationToken cancellationToken)
    {
        await FirstRunAsync(cancellationToken);
        var runs = await _harness.ScalarAsync("SELECT count(*) FROM migration_runs");
        var verifications = await _harness.ScalarAsync("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%VerifyRunJob%'");
        Assert.That(runs, Is.GreaterThan(0), "a run finished before counting");
        Assert.That(verifications, Is.EqualTo(runs));
    }
}

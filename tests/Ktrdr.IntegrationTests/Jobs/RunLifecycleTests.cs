using System.IO.Compression;
using Dapper;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Ktrdr.Jobs;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;
using Npgsql;

namespace Ktrdr.Tests.Jobs;

/// <summary>Runs whose normal course broke off (a dead planner, a deleted job, an unrecordable error) still end final.</summary>
[NonParallelizable] // Hangfire in this process (JobsHarness.StartServer)
public sealed class RunLifecycleTests
{
    private JobsHarness _harness = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _harness = await JobsHarness.CreateAsync("lifecycle");
        _harness.StartServer("lifecycle");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _harness.DisposeAsync();

    [Test]
    [CancelAfter(300_000)]
    public async Task A_run_whose_planner_died_while_enqueueing_is_imported_by_the_watchdog_and_ends_succeeded(CancellationToken cancellationToken)
    {
        var dir = await WriteFilesAsync("crash", ["CRA", "CRB", "CRC"]);
        var plan = _harness.Services.GetRequiredService<MigrationPlanner>().Plan(new MigrationRequest(dir, _harness.ReportDir, [], []));
        // The planner's first step, then a kill -9 after one job of three: the other two items have no job.
        var (runId, items) = await _harness.Store.CreateRunAsync(dir, _harness.ReportDir, [], [],
            plan.Files.Select(f => (f.Symbol, f.Timeframe, f.Path, f.Size)).ToList(), CancellationToken.None);
        var jobs = _harness.Services.GetRequiredService<IBackgroundJobClient>();
        await _harness.Store.TryClaimJobAsync(items[0].Id, ImportFileJob.Enqueue(jobs, items[0]), CancellationToken.None);
        await BackdateAsync(runId);

        await RunWatchdogAsync();
        await RunWatchdogAsync();
        var run = await _harness.WaitForRunAsync(runId, cancellationToken: cancellationToken);

        var final = await _harness.Store.GetItemsAsync(runId, CancellationToken.None);
        Assert.That(run.State, Is.EqualTo(RunState.Succeeded), string.Join("; ", final.Select(i => $"{i.Symbol} {i.State} {i.Error}")));
        Assert.That(final.Select(i => (i.State, i.Verified, i.Attempts)), Is.All.EqualTo((ItemState.Succeeded, (bool?)true, 1)));
        Assert.That(final.Select(i => i.JobId).Distinct().Count(), Is.EqualTo(3), "one job per item");
        var importJobs = await _harness.ScalarAsync(
            """
            SELECT count(*) FROM hangfire.job j WHERE j.invocationdata::text LIKE '%ImportFileJob%'
              AND EXISTS (SELECT 1 FROM unnest(@ids::text[]) AS x(id) WHERE j.arguments::text ~ ('^\[\s*"?' || x.id || '"?\s*,'))
            """,
            new { ids = items.Select(i => i.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray() });
        Assert.That(importJobs, Is.EqualTo(3), "a second watchdog pass enqueues nothing more");
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task An_item_whose_import_job_was_deleted_is_failed_with_the_reason_and_the_run_ends_partial(CancellationToken cancellationToken)
    {
        var dir = await WriteFilesAsync("deleted", ["DLA", "DLB"]);
        var plan = _harness.Services.GetRequiredService<MigrationPlanner>().Plan(new MigrationRequest(dir, _harness.ReportDir, [], []));
        var (runId, items) = await _harness.Store.CreateRunAsync(dir, _harness.ReportDir, [], [],
            plan.Files.Select(f => (f.Symbol, f.Timeframe, f.Path, f.Size)).ToList(), CancellationToken.None);
        var jobs = _harness.Services.GetRequiredService<IBackgroundJobClient>();
        var deleted = jobs.Create(Job.FromExpression<ImportFileJob>(j => j.RunAsync(items[0].Id, items[0].Symbol, items[0].Timeframe, null, CancellationToken.None)),
            new DeletedState());
        await _harness.Store.TryClaimJobAsync(items[0].Id, deleted, CancellationToken.None);
        await _harness.Store.TryClaimJobAsync(items[1].Id, ImportFileJob.Enqueue(jobs, items[1]), CancellationToken.None);
        await _harness.WaitForRowsAsync(items[1].Id, 1, cancellationToken: cancellationToken);
        await BackdateAsync(runId);

        await RunWatchdogAsync();
        var run = await _harness.WaitForRunAsync(runId, cancellationToken: cancellationToken);

        var final = await _harness.Store.GetItemsAsync(runId, CancellationToken.None);
        Assert.That(run.State, Is.EqualTo(RunState.Partial));
        Assert.That(final[0].State, Is.EqualTo(ItemState.Failed));
        Assert.That(final[0].Error, Does.Contain($"import job {deleted} is Deleted").And.Contain(items[0].FilePath));
        Assert.That(final[1].State, Is.EqualTo(ItemState.Succeeded));
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task A_job_enqueued_but_never_recorded_is_surplus_the_item_is_imported_once_and_its_counts_stay_exact(CancellationToken cancellationToken)
    {
        var dir = await WriteFilesAsync("surplus", ["SUR"]);
        var plan = _harness.Services.GetRequiredService<MigrationPlanner>().Plan(new MigrationRequest(dir, _harness.ReportDir, [], []));
        var (runId, items) = await _harness.Store.CreateRunAsync(dir, _harness.ReportDir, [], [],
            plan.Files.Select(f => (f.Symbol, f.Timeframe, f.Path, f.Size)).ToList(), CancellationToken.None);
        var jobs = _harness.Services.GetRequiredService<IBackgroundJobClient>();
        // A planner's database failed after it enqueued the first job and before it recorded it; its retry enqueued a second.
        var lost = ImportFileJob.Enqueue(jobs, items[0]);
        var second = ImportFileJob.Enqueue(jobs, items[0]);
        if (!await _harness.Store.TryClaimJobAsync(items[0].Id, second, CancellationToken.None))
        {
            jobs.Delete(second);
        }

        var run = await _harness.WaitForRunAsync(runId, cancellationToken: cancellationToken);

        var item = (await _harness.Store.GetItemsAsync(runId, CancellationToken.None)).Single();
        Assert.That(run.State, Is.EqualTo(RunState.Succeeded), item.Error);
        Assert.That((item.Attempts, item.RowsRead, item.Inserted, item.AlreadyPresent), Is.EqualTo((1, (long?)200, (long?)200, (long?)0)),
            $"one import, counted once (jobs {lost} and {second}, the item's is {item.JobId})");
        Assert.That(await _harness.ScalarAsync("SELECT count(*) FROM price_data WHERE symbol = 'SUR'"), Is.EqualTo(200));
    }

    [Test]
    [CancelAfter(240_000)]
    public async Task A_lock_row_left_by_a_holder_the_database_cut_off_holds_its_job_back_for_a_minute_not_ten(CancellationToken cancellationToken)
    {
        var dir = await WriteFilesAsync("stalelock", ["STL"]);
        var plan = _harness.Services.GetRequiredService<MigrationPlanner>().Plan(new MigrationRequest(dir, _harness.ReportDir, [], []));
        var (runId, items) = await _harness.Store.CreateRunAsync(dir, _harness.ReportDir, [], [],
            plan.Files.Select(f => (f.Symbol, f.Timeframe, f.Path, f.Size)).ToList(), cancellationToken);
        var jobs = _harness.Services.GetRequiredService<IBackgroundJobClient>();
        var jobId = jobs.Create(Job.FromExpression<ImportFileJob>(j => j.RunAsync(items[0].Id, items[0].Symbol, items[0].Timeframe, null, CancellationToken.None)),
            new ScheduledState(TimeSpan.FromSeconds(1)));
        await _harness.Store.TryClaimJobAsync(items[0].Id, jobId, cancellationToken);
        // What a database restart leaves when it cuts the connection of a worker that had just taken the job's state
        // lock: the row stays (Hangfire.PostgreSql's locks are rows, not session locks).
        await using (var connection = new NpgsqlConnection(_harness.ConnectionString))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO hangfire.lock (resource, updatecount, acquired) VALUES ('hangfire:job:' || @jobId || ':state-lock', 0, now())",
                new { jobId }, cancellationToken: cancellationToken));
        }

        var run = await _harness.WaitForRunAsync(runId, TimeSpan.FromMinutes(3), cancellationToken);

        Assert.That(run.State, Is.EqualTo(RunState.Succeeded), "the stale lock was removed after KTRDR_HANGFIRE_LOCK_TIMEOUT (1 min), and the job ran");
    }

    [Test]
    public async Task A_failure_text_with_a_nul_character_is_recorded_escaped_and_the_item_fails()
    {
        var dir = await WriteFilesAsync("nul", ["NUL"]);
        var plan = _harness.Services.GetRequiredService<MigrationPlanner>().Plan(new MigrationRequest(dir, _harness.ReportDir, [], []));
        var (_, items) = await _harness.Store.CreateRunAsync(dir, _harness.ReportDir, [], [],
            plan.Files.Select(f => (f.Symbol, f.Timeframe, f.Path, f.Size)).ToList(), CancellationToken.None);

        await _harness.Store.FailItemAsync(items[0].Id, "bad line 'a\0b' and a lone \ud800 surrogate", final: true, CancellationToken.None);

        var item = await _harness.Store.GetItemAsync(items[0].Id, CancellationToken.None);
        Assert.That(item!.State, Is.EqualTo(ItemState.Failed));
        Assert.That(item.Error, Is.EqualTo("bad line 'a\\x00b' and a lone \\uD800 surrogate"));
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task A_gzip_file_named_like_a_csv_file_fails_its_item_and_the_run_ends_partial(CancellationToken cancellationToken)
    {
        var dir = Path.Combine(_harness.Root, "gzip");
        Directory.CreateDirectory(dir);
        await new SampleDataWriter().WriteAsync(dir, "GZOK", "1d", 50, withBadLines: false, CancellationToken.None);
        var plain = Path.Combine(dir, "GZOK_1d.csv");
        await using (var gzip = new GZipStream(File.Create(Path.Combine(dir, "GZIP_1d.csv")), CompressionLevel.Optimal))
        {
            await gzip.WriteAsync(await File.ReadAllBytesAsync(plain, cancellationToken: cancellationToken), cancellationToken: cancellationToken);
        }

        var runId = await _harness.Services.GetRequiredService<MigrationPlanner>().StartAsync(
            _harness.Services.GetRequiredService<MigrationPlanner>().Plan(new MigrationRequest(dir, _harness.ReportDir, [], [])), CancellationToken.None);
        var run = await _harness.WaitForRunAsync(runId, cancellationToken: cancellationToken);

        var items = await _harness.Store.GetItemsAsync(runId, CancellationToken.None);
        var gzipped = items.Single(i => i.Symbol == "GZIP");
        Assert.That(run.State, Is.EqualTo(RunState.Partial));
        Assert.That(gzipped.State, Is.EqualTo(ItemState.Failed), gzipped.Error);
        Assert.That(gzipped.Error, Does.Contain("GZIP_1d.csv").And.Not.Contain("\0"));
        Assert.That(items.Single(i => i.Symbol == "GZOK").State, Is.EqualTo(ItemState.Succeeded));
    }

    private async Task<string> WriteFilesAsync(string name, string[] symbols)
    {
        var dir = Path.Combine(_harness.Root, name);
        Directory.CreateDirectory(dir);
        foreach (var symbol in symbols)
        {
            await new SampleDataWriter().WriteAsync(dir, symbol, "1d", 200, withBadLines: false, CancellationToken.None);
        }

        return dir;
    }

    /// <summary>Makes the run older than the watchdog's grace period, as a run whose planner died long ago.</summary>
    private async Task BackdateAsync(long runId)
    {
        await using var connection = new NpgsqlConnection(_harness.ConnectionString);
        await connection.ExecuteAsync("UPDATE migration_runs SET started_at = now() - @age WHERE id = @runId",
            new { runId, age = RunWatchdogJob.EnqueueGrace + TimeSpan.FromMinutes(1) });
    }

    private Task RunWatchdogAsync() => _harness.Services.GetRequiredService<RunWatchdogJob>().RunAsync(CancellationToken.None);
}

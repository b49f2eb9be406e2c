using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;

namespace Ktrdr.Tests.Worker;

/// <summary><c>ktrdr migrate</c> as a user runs it.</summary>
[NonParallelizable] // Hangfire in this process (JobsHarness.StartServer)
public sealed class MigrateCommandTests
{
    [Test]
    public async Task Migrate_runs_the_whole_job_in_one_command_and_exits_0_with_the_report()
    {
        await using var harness = await JobsHarness.CreateAsync("cli_migrate");
        await new SampleDataWriter().WriteAsync(harness.DataDir, "AAPL", "1d", 500, withBadLines: true, CancellationToken.None);
        await new SampleDataWriter().WriteAsync(harness.DataDir, "EURUSD", "1h", 800, withBadLines: false, CancellationToken.None);

        var result = await CliProcess.RunAsync(harness.Settings, "migrate", "--yes");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.Contain("2 files").And.Contain("succeeded: 2/2 files imported and verified").And.Contain("1,300 inserted").And.Contain("7 rejected"));
        Assert.That(result.Stdout, Does.Contain(Path.Combine(harness.ReportDir, "MIGRATION_RESULTS.md")));
        Assert.That(result.Stderr, Does.Contain("no worker is running: processing the jobs in this process"));
        Assert.That(File.Exists(Path.Combine(harness.ReportDir, "MIGRATION_RESULTS.md")));
    }

    [Test]
    public async Task Migrate_without_yes_and_without_a_terminal_refuses_instead_of_hanging()
    {
        await using var harness = await JobsHarness.CreateAsync("cli_confirm");
        await new SampleDataWriter().WriteAsync(harness.DataDir, "AAPL", "1d", 10, withBadLines: false, CancellationToken.None);
        var result = await CliProcess.RunAsync(harness.Settings, "migrate");
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("Pass --yes"));
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM migration_runs"), Is.Zero);
    }

    [Test]
    public async Task Migrate_with_the_csv_backend_selected_is_not_ready_and_says_what_to_set()
    {
        await using var harness = await JobsHarness.CreateAsync("cli_ready");
        var settings = harness.Settings;
        settings["DB_TYPE"] = "csv";
        var result = await CliProcess.RunAsync(settings, "migrate", "--yes");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain("not ready to migrate").And.Contain("DB_TYPE=postgresql"));
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task Migrate_no_wait_only_enqueues_and_a_worker_finishes_the_run(CancellationToken cancellationToken)
    {
        await using var harness = await JobsHarness.CreateAsync("cli_nowait");
        await new SampleDataWriter().WriteAsync(harness.DataDir, "AAPL", "1d", 100, withBadLines: false, CancellationToken.None);
        var result = await CliProcess.RunAsync(harness.Settings, "migrate", "--yes", "--no-wait");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.Contain("run 1 started").And.Contain("--no-wait"));
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM price_data"), Is.Zero);

        harness.StartServer("nowait");
        var run = await harness.WaitForRunAsync(1, cancellationToken: cancellationToken);
        Assert.That(run.State, Is.EqualTo(Ktrdr.Jobs.RunState.Succeeded));
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM price_data"), Is.EqualTo(100));
    }
}

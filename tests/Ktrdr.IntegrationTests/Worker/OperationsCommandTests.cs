using System.Text.RegularExpressions;

namespace Ktrdr.Tests.Worker;

public sealed class OperationsCommandTests
{
    [OneTimeSetUp]
    public Task Migrate() => MigratedStore.EnsureAsync();

    private static string RunId => Regex.Match(MigratedStore.MigrateOutput, @"run (\d+) started").Groups[1].Value;

    [Test]
    public async Task List_shows_the_migration_run_and_its_jobs_without_a_running_worker()
    {
        var result = await MigratedStore.RunAsync("operations", "list");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.Match($@"(?m)^run:{RunId}\s+succeeded\s.*\s4/4\s+0\s+4/4\s"));
        Assert.That(result.Stdout, Does.Match(@"(?m)^job:\d+\s+Verify run \d+\s+Succeeded\s"));
        Assert.That(result.Stdout, Does.Match(@"(?m)^job:\d+\s+Import SPY 5m \(item \d+\)\s+Succeeded\s.*3,007 rows, item succeeded"));
        Assert.That(result.Stdout, Does.Contain("workers: none running"));
    }

    [Test]
    public async Task Status_of_a_run_shows_every_item_with_its_counts()
    {
        var result = await MigratedStore.RunAsync("operations", "status", $"run:{RunId}");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.StartWith($"run:{RunId}  succeeded"));
        Assert.That(result.Stdout, Does.Match(@"(?m)^SPY\s+5m\s+succeeded\s+1\s+3,007\s+3,000\s+0\s+0\s+7\s+yes\s"));
        Assert.That(result.Stdout, Does.Contain("4/4 files final (4 succeeded, 0 failed, 0 processing), 4 verified"));
    }

    [Test]
    public async Task Status_of_a_job_shows_its_state_history_and_its_item()
    {
        var list = await MigratedStore.RunAsync("operations", "list");
        var jobId = Regex.Match(list.Stdout, @"(?m)^job:(\d+)\s+Import AAPL 1d").Groups[1].Value;

        var result = await MigratedStore.RunAsync("operations", "status", $"job:{jobId}");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.Contain("Import AAPL 1d"));
        Assert.That(result.Stdout, Does.Contain("Ktrdr.Jobs.ImportFileJob.RunAsync"));
        Assert.That(result.Stdout, Does.Match(@"item\s+AAPL 1d of run:\d+: succeeded, attempt 1, 407 rows"));
        Assert.That(result.Stdout, Does.Match(@"(?s)state history \(newest first\):.*Succeeded.*Processing.*Enqueued"));
    }

    [Test]
    public async Task Status_of_an_unknown_id_fails_and_says_where_to_find_ids()
    {
        var missing = await MigratedStore.RunAsync("operations", "status", "run:987654");
        var malformed = await MigratedStore.RunAsync("operations", "status", "abc");

        Assert.That(missing.ExitCode, Is.EqualTo(1));
        Assert.That(missing.Stderr, Does.Contain("no run 987654: see './ktrdr operations list'"));
        Assert.That(malformed.ExitCode, Is.EqualTo(2));
        Assert.That(malformed.Stderr, Does.Contain("operation id 'abc' is not valid"));
    }
}

using Hangfire;
using Ktrdr.Jobs;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;

namespace Ktrdr.Tests.Jobs;

[NonParallelizable] // Hangfire in this process (JobServer)
public sealed class JobPickupTests
{
    [Test]
    [CancelAfter(300_000)]
    public async Task An_idle_worker_starts_jobs_enqueued_by_another_process_without_waiting_for_its_next_poll(CancellationToken cancellationToken)
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("pickup");
        var root = Directory.CreateTempSubdirectory("ktrdr-pickup-").FullName;
        try
        {
            var dataDir = Path.Combine(root, "data");
            var reportDir = Path.Combine(root, "report");
            Directory.CreateDirectory(dataDir);
            await new SampleDataWriter().WriteAsync(dataDir, "LISTEN", "1h", 500, withBadLines: false, CancellationToken.None);

            // An hour between polls, and the jobs come from another process (in-process enqueues wake the workers anyway):
            // only the notification (KTRDR_LONG_POLLING) can start this run before the test gives up.
            await using var server = await JobsHarness.StartAsync(connectionString, root,
                new Dictionary<string, string?> { ["KTRDR_POLL_INTERVAL"] = "01:00:00" });
            await WaitUntilIdleAsync(server.Services.GetRequiredService<JobStorage>());
            var cli = await CliProcess.RunAsync(new Dictionary<string, string?>
            {
                ["DB_TYPE"] = "postgresql",
                ["DB_CONNECTION_STRING"] = connectionString,
                ["DATA_DIR"] = dataDir,
                ["KTRDR_REPORT_DIR"] = reportDir,
            }, "migrate", "--yes", "--no-wait");
            Assert.That(cli.ExitCode, Is.EqualTo(0), cli.Stderr);

            var (run, items) = await server.WaitAsync(1, TimeSpan.FromSeconds(90), cancellationToken: cancellationToken);

            Assert.That(run.State, Is.EqualTo(RunState.Succeeded));
            Assert.That(items.Single().Inserted, Is.EqualTo(500));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Until the server has registered and its workers have made their first fetch (queue empty) and wait.</summary>
    private static async Task WaitUntilIdleAsync(JobStorage storage)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (storage.GetMonitoringApi().Servers().Count == 0)
        {
            await Task.Delay(100, limit.Token);
        }

        await Task.Delay(TimeSpan.FromSeconds(3), limit.Token);
    }
}

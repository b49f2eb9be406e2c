using Dapper;
using Ktrdr.Jobs;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;
using Npgsql;

namespace Ktrdr.Tests.Jobs;

[NonParallelizable] // Hangfire in this process (JobsHarness.StartServer)
public sealed class NightlyVerifyJobTests
{
    [Test]
    [CancelAfter(600_000)]
    public async Task Nightly_verification_records_every_series_and_re_imports_missing_bars_a_bounded_number_of_times(CancellationToken cancellationToken)
    {
        await using var harness = await JobsHarness.CreateAsync("nightly");
        var writer = new SampleDataWriter();
        await writer.WriteAsync(harness.DataDir, "AAPL", "1d", 300, withBadLines: true, CancellationToken.None);
        await writer.WriteAsync(harness.DataDir, "MSFT", "1d", 300, withBadLines: false, CancellationToken.None);
        harness.StartServer("nightly");
        await harness.WaitForRunAsync(await harness.StartRunAsync(), cancellationToken: cancellationToken);

        await using (var connection = new NpgsqlConnection(harness.ConnectionString))
        {
            await connection.ExecuteAsync("DELETE FROM price_data WHERE symbol = 'MSFT' AND time >= '2020-03-01'");
        }

        var nightly = harness.Services.GetRequiredService<NightlyVerifyJob>();
        Assert.That(await nightly.RunAsync(CancellationToken.None), Is.EqualTo(1), "one series does not match");
        var healRun = await harness.ScalarAsync("SELECT heal_run_id FROM verification_results WHERE symbol = 'MSFT' AND NOT passed");
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM verification_results WHERE symbol = 'AAPL' AND passed"), Is.EqualTo(1),
            "rejected lines are expected absences, not mismatches");
        var healed = await harness.WaitForRunAsync(healRun, cancellationToken: cancellationToken);
        Assert.That(healed.State, Is.EqualTo(RunState.Succeeded));
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM price_data WHERE symbol = 'MSFT'"), Is.EqualTo(300));
        Assert.That(await nightly.RunAsync(CancellationToken.None), Is.Zero);

        // A series that cannot be healed (a conflicting value is never overwritten) is retried at most twice.
        await using (var connection = new NpgsqlConnection(harness.ConnectionString))
        {
            await connection.ExecuteAsync("UPDATE price_data SET close = close + 1 WHERE symbol = 'AAPL' AND time = '2020-01-05'");
        }

        for (var night = 0; night < 4; night++)
        {
            Assert.That(await nightly.RunAsync(CancellationToken.None), Is.EqualTo(1));
            foreach (var run in await harness.Store.ListRunsAsync(100, CancellationToken.None))
            {
                await harness.WaitForRunAsync(run.Id, cancellationToken: cancellationToken);
            }
        }

        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM verification_results WHERE symbol = 'AAPL' AND heal_run_id IS NOT NULL"), Is.EqualTo(2));
        await using var check = new NpgsqlConnection(harness.ConnectionString);
        var message = await check.ExecuteScalarAsync<string>("SELECT message FROM verification_results WHERE symbol = 'AAPL' ORDER BY id DESC LIMIT 1");
        Assert.That(message, Does.Contain("2020-01-05T00:00:00Z").And.Contain("!="));
    }
}

using Dapper;
using Ktrdr.Jobs;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;
using Npgsql;

namespace Ktrdr.Tests.Jobs;

[NonParallelizable] // Hangfire in this process (JobsHarness.StartServer)
public sealed class ImportRetryTests
{
    [Test]
    [CancelAfter(300_000)]
    public async Task A_lost_database_connection_mid_import_is_retried_and_the_result_is_exact(CancellationToken cancellationToken)
    {
        const int rows = 1_000_000;
        await using var harness = await JobsHarness.CreateAsync("retry");
        await new SampleDataWriter().WriteAsync(harness.DataDir, "LOST", "1m", rows, withBadLines: false, CancellationToken.None);
        harness.StartServer("retry", workers: 1);
        var runId = await harness.StartRunAsync();
        var item = (await harness.Store.GetItemsAsync(runId, CancellationToken.None)).Single();
        await harness.WaitForRowsAsync(item.Id, 200_000, cancellationToken: cancellationToken);

        await using (var admin = new NpgsqlConnection(harness.ConnectionString))
        {
            // A batch is read whole before it is written: its COPY starts once the reading is done.
            var killed = 0;
            while (killed == 0)
            {
                killed = await admin.ExecuteScalarAsync<int>(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY price_data%' AND pid <> pg_backend_pid()");
                Assert.That((await harness.Store.GetItemAsync(item.Id, CancellationToken.None))!.IsFinal, Is.False, "the import finished before its COPY was seen");
                await Task.Delay(killed == 0 ? 10 : 0, cancellationToken);
            }

            Assert.That(killed, Is.EqualTo(1), "the import's COPY connection was cut");
        }

        var run = await harness.WaitForRunAsync(runId, cancellationToken: cancellationToken);
        var done = (await harness.Store.GetItemAsync(item.Id, CancellationToken.None))!;
        Assert.That(run.State, Is.EqualTo(RunState.Succeeded));
        Assert.That(done.Attempts, Is.EqualTo(2));
        Assert.That((done.Inserted, done.Verified), Is.EqualTo(((long?)rows, (bool?)true)));
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM price_data"), Is.EqualTo(rows));
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task A_file_that_keeps_killing_its_worker_is_failed_after_the_attempt_limit_and_the_run_finishes(CancellationToken cancellationToken)
    {
        await using var harness = await JobsHarness.CreateAsync("poison");
        await new SampleDataWriter().WriteAsync(harness.DataDir, "OK", "1d", 100, withBadLines: false, CancellationToken.None);
        await new SampleDataWriter().WriteAsync(harness.DataDir, "POISON", "1d", 100, withBadLines: false, CancellationToken.None);
        var runId = await harness.StartRunAsync();
        var poison = (await harness.Store.GetItemsAsync(runId, CancellationToken.None)).Single(i => i.Symbol == "POISON");

        // As if workers had died on this file before: every attempt counted, none reported back.
        await using (var connection = new NpgsqlConnection(harness.ConnectionString))
        {
            await connection.ExecuteAsync("UPDATE migration_items SET attempts = 6, state = @processing WHERE id = @id", new { id = poison.Id, processing = ItemState.Processing.ToText() });
        }

        harness.StartServer("poison");
        var run = await harness.WaitForRunAsync(runId, cancellationToken: cancellationToken);
        var item = (await harness.Store.GetItemAsync(poison.Id, CancellationToken.None))!;
        Assert.That(run.State, Is.EqualTo(RunState.Partial));
        Assert.That(item.State, Is.EqualTo(ItemState.Failed));
        Assert.That(item.Error, Does.Contain("POISON_1d.csv").And.Contain("gave up after 6 attempts"));
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM price_data WHERE symbol = 'OK'"), Is.EqualTo(100));
    }
}

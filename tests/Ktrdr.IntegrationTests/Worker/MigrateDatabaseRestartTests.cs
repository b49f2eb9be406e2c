using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;
using Npgsql;

namespace Ktrdr.Tests.Worker;

/// <summary>
/// A database restart in the middle of <c>migrate</c>, on a private throwaway cluster (never the shared test server):
/// the command waits it out, the jobs retry, and the run completes exactly.
/// </summary>
public sealed class MigrateDatabaseRestartTests
{
    private static readonly string[] Symbols = ["RSTA", "RSTB", "RSTC"];
    private const int Rows = 150_000;

    [Test]
    [CancelAfter(300_000)]
    public async Task Migrate_rides_out_a_fast_shutdown_and_restart_of_the_database_and_the_run_completes_exactly(CancellationToken cancellationToken)
    {
        await using var server = await UnpreloadedServer.StartAsync();
        var root = Directory.CreateTempSubdirectory("ktrdr-restart-").FullName;
        try
        {
            var data = Path.Combine(root, "data");
            Directory.CreateDirectory(data);
            foreach (var symbol in Symbols)
            {
                await new SampleDataWriter().WriteAsync(data, symbol, "1m", Rows, withBadLines: false, cancellationToken);
            }

            var settings = Settings(server, root, data);
            var schema = await CliProcess.RunAsync(settings, "db", "migrate");
            Assert.That(schema.ExitCode, Is.Zero, schema.Stderr);

            using var migrate = RunningCli.Start(settings, "migrate", "--yes");
            await migrate.WaitForStderrAsync("processing the jobs in this process", cancellationToken);
            while (await CountAsync(server, null, cancellationToken) == 0)
            {
                await Task.Delay(100, cancellationToken);
            }

            // A restart whose gap stays open until migrate has noticed it (a plain 'pg_ctl restart' can fall between two
            // polls): stop -m fast, then start once the command says it is waiting.
            await server.StopAsync();
            await migrate.WaitForStderrAsync("database unavailable (", cancellationToken);
            await server.RestartAsync();
            var result = await migrate.WaitForExitAsync(cancellationToken);

            Assert.That(result.ExitCode, Is.Zero, result.Stderr);
            Assert.That(result.Stderr, Does.Contain("database unavailable (").And.Contain("retrying for up to 2m"));
            Assert.That(result.Stdout, Does.Contain("run 1 succeeded: 3/3 files imported and verified"));
            foreach (var symbol in Symbols)
            {
                Assert.That(await CountAsync(server, symbol, cancellationToken), Is.EqualTo(Rows),
                    $"{symbol} has exactly its file's rows");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    [CancelAfter(420_000)]
    public async Task A_database_restart_while_migrate_enqueues_its_jobs_is_waited_out_and_the_one_run_completes_exactly(CancellationToken cancellationToken)
    {
        const int files = 1_000, rows = 20;
        await using var server = await UnpreloadedServer.StartAsync();
        var root = Directory.CreateTempSubdirectory("ktrdr-enqueue-").FullName;
        try
        {
            var data = Path.Combine(root, "data");
            Directory.CreateDirectory(data);
            for (var i = 0; i < files; i++)
            {
                await new SampleDataWriter().WriteAsync(data, $"Q{i:D4}", "1d", rows, withBadLines: false, cancellationToken);
            }

            var settings = Settings(server, root, data);
            Assert.That((await CliProcess.RunAsync(settings, "db", "migrate")).ExitCode, Is.Zero);

            using var migrate = RunningCli.Start(settings, "migrate", "--yes");
            long enqueued;
            while ((enqueued = await EnqueuedAsync(server, cancellationToken)) < 50)
            {
                await Task.Delay(20, cancellationToken);
            }

            await server.StopAsync();
            Assert.That(enqueued, Is.LessThan(files), "the database went down while the jobs were being enqueued");
            await migrate.WaitForStderrAsync("database unavailable (", cancellationToken);
            await server.RestartAsync();
            var result = await migrate.WaitForExitAsync(cancellationToken);

            Assert.That(result.ExitCode, Is.Zero, result.Stderr);
            Assert.That(result.Stdout, Does.Contain($"run 1 succeeded: {files}/{files} files imported and verified"), result.Stderr);
            Assert.That(result.Stdout, Does.Contain("20,000 inserted, 0 already present"), "every file imported once and counted once");
            await using var connection = await OpenAsync(server, cancellationToken);
            await using var runs = new NpgsqlCommand("SELECT count(*) FROM migration_runs", connection);
            Assert.That(await runs.ExecuteScalarAsync(cancellationToken), Is.EqualTo(1L), "the planner's retry made no second run");
            Assert.That(await CountAsync(server, null, cancellationToken), Is.EqualTo(files * rows));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task Migrate_gives_up_after_KTRDR_DB_OUTAGE_DEADLINE_with_exit_1_saying_how_to_finish_the_run(CancellationToken cancellationToken)
    {
        await using var server = await UnpreloadedServer.StartAsync();
        var root = Directory.CreateTempSubdirectory("ktrdr-outage-").FullName;
        try
        {
            var data = Path.Combine(root, "data");
            Directory.CreateDirectory(data);
            await new SampleDataWriter().WriteAsync(data, "OUT", "1m", Rows, withBadLines: false, cancellationToken);
            var settings = Settings(server, root, data);
            settings["KTRDR_DB_OUTAGE_DEADLINE"] = "00:00:03";
            Assert.That((await CliProcess.RunAsync(settings, "db", "migrate")).ExitCode, Is.Zero);

            using var migrate = RunningCli.Start(settings, "migrate", "--yes");
            await migrate.WaitForStderrAsync("run 1: ", cancellationToken);
            await server.StopAsync();
            var result = await migrate.WaitForExitAsync(cancellationToken);

            Assert.That(result.ExitCode, Is.EqualTo(1), result.Stderr);
            Assert.That(result.Stderr, Does.Contain("retrying for up to 3s").And.Contain("longer than KTRDR_DB_OUTAGE_DEADLINE (3s)")
                .And.Contain("run 1 stays in the database; a later './ktrdr migrate' (same options) or './ktrdr serve' finishes it"));
            await server.RestartAsync();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static Dictionary<string, string?> Settings(UnpreloadedServer server, string root, string data) => new()
    {
        // This cluster has TimescaleDB installed but not preloaded: a plain table is what a restart needs.
        ["DB_TYPE"] = "postgresql",
        ["DB_CONNECTION_STRING"] = server.ConnectionString,
        ["DATA_DIR"] = data,
        ["KTRDR_REPORT_DIR"] = Path.Combine(root, "report"),
        ["TSDB_ENABLED"] = "false",
        ["KTRDR_RETRY_DELAYS"] = "1",
        ["KTRDR_INVISIBILITY_TIMEOUT"] = "00:00:15",
        ["KTRDR_LOG_LEVEL"] = "Warning",
    };

    /// <summary>Items of the run that have an import job; 0 before the run exists (or the schema answers).</summary>
    private static async Task<long> EnqueuedAsync(UnpreloadedServer server, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(server, cancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM migration_items WHERE job_id IS NOT NULL", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<NpgsqlConnection> OpenAsync(UnpreloadedServer server, CancellationToken cancellationToken)
    {
        // Unpooled: a pooled connection of the test's would itself be terminated by the restart.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>Rows in price_data, of one symbol or (null) of all.</summary>
    private static async Task<long> CountAsync(UnpreloadedServer server, string? symbol, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(server, cancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM price_data WHERE @symbol::text IS NULL OR symbol = @symbol", connection);
        command.Parameters.AddWithValue("symbol", (object?)symbol ?? DBNull.Value);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

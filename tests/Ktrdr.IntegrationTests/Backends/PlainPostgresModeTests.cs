using Dapper;
using Ktrdr.Backends.Timescale;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;
using Npgsql;

namespace Ktrdr.Tests.Backends;

/// <summary>
/// <c>TSDB_ENABLED=false</c> on the test server, which offers TimescaleDB: price_data stays a plain table, and a
/// migration and <c>verify</c> through the real CLI work on it.
/// </summary>
public sealed class PlainPostgresModeTests
{
    private string _database = "";
    private string _root = "";

    private Dictionary<string, string?> Settings => new()
    {
        ["DB_TYPE"] = "postgresql",
        ["DB_CONNECTION_STRING"] = _database,
        ["DATA_DIR"] = Path.Combine(_root, "data"),
        ["KTRDR_REPORT_DIR"] = Path.Combine(_root, "report"),
        ["TSDB_ENABLED"] = "false",
    };

    [OneTimeSetUp]
    public async Task WriteFiles()
    {
        _database = await PostgresServer.CreateDatabaseAsync("plain");
        _root = Directory.CreateTempSubdirectory("ktrdr-plain-").FullName;
        var writer = new SampleDataWriter();
        await writer.WriteAsync(Path.Combine(_root, "data"), "AAPL", "1d", 300, withBadLines: true, CancellationToken.None);
        await writer.WriteAsync(Path.Combine(_root, "data"), "EURUSD", "5m", 2000, withBadLines: false, CancellationToken.None);
    }

    [OneTimeTearDown]
    public void RemoveFiles() => Directory.Delete(_root, recursive: true);

    [Test]
    public async Task TSDB_ENABLED_false_keeps_a_plain_table_where_TimescaleDB_is_available_and_migrate_and_verify_work()
    {
        var migrate = await CliProcess.RunAsync(Settings, "migrate", "--yes");
        Assert.That(migrate.ExitCode, Is.Zero, migrate.Stdout + migrate.Stderr);
        Assert.That(migrate.Stdout, Does.Contain("succeeded: 2/2 files imported and verified"));
        Assert.That(migrate.Stdout + migrate.Stderr, Does.Contain("mode postgresql"));

        var verify = await CliProcess.RunAsync(Settings, "verify");
        Assert.That(verify.ExitCode, Is.Zero, verify.Stdout + verify.Stderr);

        await using var connection = new NpgsqlConnection(_database);
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM price_data"), Is.EqualTo(2300));
        Assert.That(await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')"), Is.False,
            "the extension is not even created");
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_inherits WHERE inhparent = 'price_data'::regclass"), Is.Zero,
            "no chunks");

        var status = await CliProcess.RunAsync(Settings, "db", "status");
        Assert.That(status.ExitCode, Is.Zero, status.Stdout + status.Stderr);
        Assert.That(status.Stdout, Does.Contain("mode: postgresql (price_data is a plain table: no hypertable, no chunks, no compression; chosen with TSDB_ENABLED=false)"));
        Assert.That(status.Stdout, Does.Contain("price_data: "));
    }

    [Test]
    public async Task TSDB_ENABLED_false_on_a_database_whose_price_data_is_already_a_hypertable_says_it_cannot_undo_it()
    {
        var database = await TimescaleDatabase.CreateAsync("wasts");
        var dataDir = Directory.CreateTempSubdirectory("ktrdr-wasts-").FullName;
        try
        {
            await using (var services = TestServices.Build(database, dataDir))
            {
                await services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
            }

            await using var plain = TestServices.Build(database, dataDir, new Dictionary<string, string?> { ["TSDB_ENABLED"] = "false" });
            var error = Assert.ThrowsAsync<TimescaleSetupException>(() => plain.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None));
            Assert.That(error!.Message, Does.Contain("TSDB_ENABLED=false but price_data in").And.Contain("is already a TimescaleDB hypertable"));
            Assert.That(error.Message, Does.Contain("./ktrdr data export --to DIR"));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}

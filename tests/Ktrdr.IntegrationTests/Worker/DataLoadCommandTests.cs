using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;

namespace Ktrdr.Tests.Worker;

/// <summary>The real CLI, run as a process, under both DB_TYPEs.</summary>
public sealed class DataLoadCommandTests
{
    private string _connectionString = "";
    private string _dataDir = "";

    [OneTimeSetUp]
    public async Task LoadBothStoresAsync()
    {
        _connectionString = await PostgresServer.CreateDatabaseAsync("cli");
        _dataDir = Directory.CreateTempSubdirectory("ktrdr-cli-").FullName;
        await new SampleDataWriter().WriteAsync(_dataDir, "AAPL", "1h", 5000, withBadLines: true, CancellationToken.None);
        await using var services = TestServices.Build(_connectionString, _dataDir);
        await services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        var csv = services.GetRequiredService<Ktrdr.Backends.Csv.CsvBackend>();
        var key = new SeriesKey("AAPL", "1h");
        await services.GetRequiredService<TimescaleBackend>().SaveAsync(key, csv.LoadAsync(key, null, null, CancellationToken.None), CancellationToken.None);
    }

    [OneTimeTearDown]
    public void Cleanup() => Directory.Delete(_dataDir, recursive: true);

    private Task<CliProcess.Result> RunAsync(string dbType, params string[] args) =>
        CliProcess.RunAsync(new Dictionary<string, string?>
        {
            ["DB_TYPE"] = dbType,
            ["DB_CONNECTION_STRING"] = _connectionString,
            ["DATA_DIR"] = _dataDir,
        }, args);

    [TestCase("data", "load", "AAPL", "1h")]
    [TestCase("data", "load", "AAPL", "1h", "--start-date", "2020-02-01", "--end-date", "2020-02-08T12:00:00Z")]
    public async Task Data_load_prints_the_same_under_csv_and_postgresql(params string[] args)
    {
        var csv = await RunAsync("csv", args);
        var db = await RunAsync("PostgreSQL", args);
        Assert.That((csv.ExitCode, db.ExitCode), Is.EqualTo((0, 0)), csv.Stderr + db.Stderr);
        Assert.That(db.Stdout, Is.EqualTo(csv.Stdout));
        Assert.That(csv.Stdout, Does.StartWith("AAPL 1h: "));
        Assert.That(csv.Stderr, Does.Contain("backend: csv"));
        Assert.That(db.Stderr, Does.Contain("backend: timescaledb"));
    }

    [Test]
    public async Task An_unknown_db_type_stops_with_the_valid_values_and_exit_code_2()
    {
        var result = await RunAsync("mysql", "data", "load", "AAPL", "1h");
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("DB_TYPE='mysql'").And.Contain("'csv'").And.Contain("'postgresql'"));
        Assert.That(result.Stdout, Is.Empty);
    }

    [Test]
    public async Task A_symbol_that_could_leave_the_data_directory_is_refused()
    {
        var result = await RunAsync("csv", "data", "load", "../../etc/passwd", "1h");
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("symbol '../../etc/passwd' is not valid"));
    }

    [Test]
    public async Task An_unreachable_database_fails_naming_the_settings_without_the_password()
    {
        var result = await CliProcess.RunAsync(new Dictionary<string, string?>
        {
            ["DB_TYPE"] = "postgresql", ["DB_HOST"] = "127.0.0.1", ["DB_PORT"] = "1", ["DB_PASSWORD"] = "hunter2-secret",
        }, "data", "load", "AAPL", "1h");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain("DB_HOST").And.Contain("DB_PORT"));
        Assert.That(result.Stderr + result.Stdout, Does.Not.Contain("hunter2-secret"));
    }
}

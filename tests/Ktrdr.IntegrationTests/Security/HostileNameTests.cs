using Dapper;
using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;
using Ktrdr.Tests.Infrastructure;
using Npgsql;

namespace Ktrdr.Tests.Security;

/// <summary>
/// Hostile names reach the database only as parameters, and never a path: a symbol made of SQL is stored and read
/// back as data, and command-line names cannot leave the data directory.
/// </summary>
public sealed class HostileNameTests
{
    private const string SqlSymbol = "X'); DROP TABLE price_data;--";
    private static readonly SeriesKey Hostile = new(SqlSymbol, "1d");
    private string _connectionString = "";
    private string _root = "";
    private ServiceProvider _services = null!;

    [OneTimeSetUp]
    public async Task CreateDatabase()
    {
        _connectionString = await PostgresServer.CreateDatabaseAsync("hostile");
        _root = Directory.CreateTempSubdirectory("ktrdr-hostile-").FullName;
        Directory.CreateDirectory(Path.Combine(_root, "data"));
        _services = TestServices.Build(_connectionString, Path.Combine(_root, "data"));
        await _services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task Dispose()
    {
        await _services.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Test]
    public async Task A_symbol_made_of_SQL_is_stored_and_read_back_as_data()
    {
        var backend = _services.GetRequiredService<TimescaleBackend>();
        var bars = Enumerable.Range(0, 3).Select(i => new Bar(new DateTime(2024, 1, 1 + i, 0, 0, 0, DateTimeKind.Utc), 1, 2, 0.5, 1.5, i)).ToList();

        var saved = await backend.SaveAsync(Hostile, bars.ToAsyncEnumerable(), CancellationToken.None);
        var again = await backend.SaveAsync(Hostile, bars.ToAsyncEnumerable(), CancellationToken.None); // the merge path's SQL too

        await using var connection = new NpgsqlConnection(_connectionString);
        Assert.Multiple(async () =>
        {
            Assert.That(saved.Inserted, Is.EqualTo(3));
            Assert.That(again.AlreadyPresent, Is.EqualTo(3));
            Assert.That(await backend.LoadAsync(Hostile, null, null, CancellationToken.None).ToListAsync(), Is.EqualTo(bars));
            Assert.That(await backend.ListSeriesAsync(CancellationToken.None), Does.Contain(Hostile));
            Assert.That((await backend.GetDateRangeAsync(Hostile, CancellationToken.None))!.Count, Is.EqualTo(3));
            Assert.That(await connection.ExecuteScalarAsync<string>("SELECT symbol FROM price_data LIMIT 1"), Is.EqualTo(SqlSymbol));
        });
    }

    [TestCase("../../etc/passwd", "1d", "symbol")]
    [TestCase("..", "1d", "symbol")]
    [TestCase("/etc/passwd", "1d", "symbol")]
    [TestCase("AAPL", "../1d", "timeframe")]
    [TestCase(SqlSymbol, "1d", "symbol")]
    public async Task A_command_line_name_that_would_leave_the_data_directory_is_refused(string symbol, string timeframe, string what)
    {
        var result = await CliProcess.RunAsync(new Dictionary<string, string?> { ["DB_TYPE"] = "csv", ["DATA_DIR"] = Path.Combine(_root, "data") },
            "data", "load", symbol, timeframe);
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Stdout + result.Stderr);
        Assert.That(result.Stderr, Does.Contain($"{what} '{(what == "symbol" ? symbol : timeframe)}' is not valid"));
    }

    [Test]
    public async Task Export_never_turns_a_hostile_symbol_into_a_file_name()
    {
        var backend = _services.GetRequiredService<TimescaleBackend>();
        await backend.SaveAsync(Hostile, new[] { new Bar(new DateTime(2024, 2, 1, 0, 0, 0, DateTimeKind.Utc), 1, 2, 0.5, 1.5, 1) }.ToAsyncEnumerable(), CancellationToken.None);
        var target = Path.Combine(_root, "export");
        var result = await CliProcess.RunAsync(new Dictionary<string, string?> { ["DB_TYPE"] = "postgresql", ["DB_CONNECTION_STRING"] = _connectionString },
            "data", "export", "--to", target);
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(result.Stderr, Does.Contain("not a valid file name"));
        Assert.That(Directory.Exists(target) ? Directory.GetFiles(target) : [], Has.None.Contain("DROP"));
    }
}

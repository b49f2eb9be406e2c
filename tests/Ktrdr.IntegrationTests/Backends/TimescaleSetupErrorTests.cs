using Dapper;
using Ktrdr.Backends.Timescale;
using Ktrdr.Tests.Infrastructure;
using Npgsql;

namespace Ktrdr.Tests.Backends;

/// <summary>
/// <c>db migrate</c> where the server cannot give TimescaleDB says why and what to do, through the real CLI: a server
/// with the extension installed but not preloaded (a throwaway cluster of our own), and a role that may not create it.
/// </summary>
public sealed class TimescaleSetupErrorTests
{
    private UnpreloadedServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerWithoutPreload() => _server = await UnpreloadedServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [TestCase("auto")]
    [TestCase("true")]
    public async Task Migrate_on_a_server_without_preload_names_shared_preload_libraries(string enabled)
    {
        var database = await CreateDatabaseAsync($"nopre_{enabled}");

        var result = await CliProcess.RunAsync(Environment(database, enabled), "db", "migrate");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Stdout + result.Stderr);
        Assert.That(result.Stderr, Does.Contain("shared_preload_libraries = 'timescaledb'"));
        Assert.That(result.Stderr, Does.Contain("postgresql.conf").And.Contain("restart the server"));
        Assert.That(result.Stderr, Does.Contain("TSDB_ENABLED=false"));
        Assert.That(result.Stderr, Does.Not.Contain("SQLSTATE").And.Not.Contain("XX000").And.Not.Contain("Password=postgres"));
    }

    [Test]
    public async Task Migrate_with_TSDB_ENABLED_false_on_a_server_without_preload_keeps_a_plain_table()
    {
        var database = await CreateDatabaseAsync("nopre_false");

        var result = await CliProcess.RunAsync(Environment(database, "false"), "db", "migrate");

        Assert.That(result.ExitCode, Is.Zero, result.Stdout + result.Stderr);
        Assert.That(result.Stdout, Does.Contain("timescaledb: available on this server, not used (TSDB_ENABLED=false)"));
        Assert.That(result.Stdout, Does.Contain("mode: postgresql (price_data is a plain table").And.Contain("chosen with TSDB_ENABLED=false"));
        await using var connection = new NpgsqlConnection(database);
        Assert.That(await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')"), Is.False);
    }

    [Test]
    public async Task A_bad_TSDB_ENABLED_is_a_configuration_error_naming_the_setting_its_value_and_the_valid_values()
    {
        var result = await CliProcess.RunAsync(Environment(_server.ConnectionString, "sometimes"), "db", "status");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Stdout + result.Stderr);
        Assert.That(result.Stderr, Does.Contain("error: configuration: TSDB_ENABLED='sometimes' is not valid: use 'auto' (the default), 'true' or 'false'"));
    }

    [Test]
    public async Task A_role_that_may_not_create_the_extension_is_told_an_administrator_must_run_CREATE_EXTENSION()
    {
        // On the test server, which preloads TimescaleDB: the extension is trusted, so only the CREATE right on the
        // database decides, and this role has it on the schema only.
        var admin = await PostgresServer.CreateDatabaseAsync("noext");
        var role = $"noext_{Guid.NewGuid():N}"[..20];
        var password = $"Pw-{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD '{password}'; GRANT CREATE, USAGE ON SCHEMA public TO {role}");
        }

        try
        {
            var asRole = new NpgsqlConnectionStringBuilder(admin) { Username = role, Password = password }.ConnectionString;
            var result = await CliProcess.RunAsync(new Dictionary<string, string?> { ["DB_TYPE"] = "postgresql", ["DB_CONNECTION_STRING"] = asRole }, "db", "migrate");

            Assert.That(result.ExitCode, Is.EqualTo(1), result.Stdout + result.Stderr);
            Assert.That(result.Stderr, Does.Contain($"the role '{role}' may not create the TimescaleDB extension"));
            Assert.That(result.Stderr, Does.Contain("an administrator (a superuser or the database's owner) must run CREATE EXTENSION timescaledb; in that database"));
            Assert.That(result.Stderr, Does.Contain("TSDB_ENABLED=false"));
            Assert.That(result.Stderr, Does.Not.Contain("SQLSTATE").And.Not.Contain(password));
        }
        finally
        {
            await using var connection = new NpgsqlConnection(admin);
            await connection.ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    private async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(_server.ConnectionString))
        {
            await connection.ExecuteAsync($"CREATE DATABASE {name}");
        }

        return new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = name }.ConnectionString;
    }

    private static Dictionary<string, string?> Environment(string connectionString, string enabled) => new()
    {
        ["DB_TYPE"] = "postgresql",
        ["DB_CONNECTION_STRING"] = connectionString,
        ["TSDB_ENABLED"] = enabled,
    };
}

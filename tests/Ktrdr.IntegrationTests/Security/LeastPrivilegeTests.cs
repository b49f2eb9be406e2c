using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;
using Npgsql;

namespace Ktrdr.Tests.Security;

/// <summary>
/// The worker runs a whole migration as the role of docs/least-privilege.sql (no superuser, no DDL), set up exactly as
/// the doc says: the owner runs <c>db migrate</c>, then the script through psql. The same run's logs, as JSON, carry
/// the run, job, symbol and timeframe, and never the password.
/// </summary>
public sealed class LeastPrivilegeTests
{
    private readonly string _password = $"Pw-{Guid.NewGuid():N}";
    private string _admin = "";
    private string _root = "";
    private CliProcess.Result _migrate = null!;

    private Dictionary<string, string?> WorkerEnvironment(NpgsqlConnectionStringBuilder admin) => new()
    {
        ["DB_TYPE"] = "postgresql",
        ["DB_HOST"] = admin.Host,
        ["DB_PORT"] = admin.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["DB_NAME"] = admin.Database,
        ["DB_USER"] = "ktrdr_worker",
        ["DB_PASSWORD"] = _password,
        ["DATA_DIR"] = Path.Combine(_root, "data"),
        ["KTRDR_REPORT_DIR"] = Path.Combine(_root, "report"),
        ["KTRDR_HANGFIRE_PREPARE_SCHEMA"] = "false",
        ["KTRDR_LOG_LEVEL"] = "Verbose",
    };

    [OneTimeSetUp]
    public async Task MigrateAsTheWorkerRole()
    {
        _admin = await PostgresServer.CreateDatabaseAsync("leastpriv");
        _root = Directory.CreateTempSubdirectory("ktrdr-leastpriv-").FullName;
        var writer = new SampleDataWriter();
        await writer.WriteAsync(Path.Combine(_root, "data"), "AAPL", "1d", 400, withBadLines: true, CancellationToken.None);
        await writer.WriteAsync(Path.Combine(_root, "data"), "EURUSD", "1h", 300, withBadLines: false, CancellationToken.None);

        var schema = await CliProcess.RunAsync(new Dictionary<string, string?> { ["DB_TYPE"] = "postgresql", ["DB_CONNECTION_STRING"] = _admin }, "db", "migrate");
        Assert.That(schema.ExitCode, Is.Zero, "db migrate as the owner: " + schema.Stderr);
        await RunPsqlAsync(Path.Combine(RepositoryPaths.Root(), "docs", "least-privilege.sql"));

        _migrate = await CliProcess.RunAsync(WorkerEnvironment(new NpgsqlConnectionStringBuilder(_admin)), "migrate", "--yes", "--log-json");
    }

    [OneTimeTearDown]
    public void RemoveFiles() => Directory.Delete(_root, recursive: true);

    [Test]
    public async Task A_whole_migration_succeeds_as_the_worker_role()
    {
        Assert.That(_migrate.ExitCode, Is.Zero, _migrate.Stdout + _migrate.Stderr);
        Assert.That(_migrate.Stdout, Does.Contain("succeeded: 2/2 files imported and verified"));
        await using var connection = new NpgsqlConnection(_admin);
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM price_data"), Is.EqualTo(700));
        Assert.That(await connection.ExecuteScalarAsync<bool>("SELECT rolsuper OR rolcreatedb OR rolcreaterole FROM pg_roles WHERE rolname = 'ktrdr_worker'"), Is.False);
    }

    [TestCase("CREATE TABLE intruder (a int)")]
    [TestCase("DROP TABLE price_data")]
    [TestCase("DELETE FROM price_data")]
    [TestCase("UPDATE price_data SET close = 0")]
    [TestCase("TRUNCATE migration_runs CASCADE")]
    [TestCase("CREATE SCHEMA intruder")]
    public async Task The_worker_role_may_not_change_the_schema_or_the_stored_bars(string sql)
    {
        var worker = new NpgsqlConnectionStringBuilder(_admin) { Username = "ktrdr_worker", Password = _password, Pooling = false };
        await using var connection = new NpgsqlConnection(worker.ConnectionString);
        var error = Assert.ThrowsAsync<PostgresException>(async () => await connection.ExecuteAsync(sql));
        Assert.That(error!.SqlState, Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege).Or.EqualTo("42501"), error.MessageText);
    }

    [Test]
    public void The_password_appears_nowhere_in_the_output_even_at_the_most_verbose_level()
    {
        var output = _migrate.Stdout + _migrate.Stderr;
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Not.Contain(_password));
            Assert.That(output, Does.Not.Contain("Password=").IgnoreCase);
            Assert.That(output.Length, Is.GreaterThan(1000), "the run logged almost nothing: the check above proves little");
        });
    }

    [Test]
    public void Json_logs_carry_the_run_job_symbol_and_timeframe()
    {
        var events = _migrate.Stderr.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var imported = events.Where(e => e.TryGetProperty("@mt", out var mt) && mt.GetString()!.StartsWith("Imported {Symbol}", StringComparison.Ordinal)).ToList();
        Assert.That(imported, Has.Count.EqualTo(2), "one 'Imported' event per file");
        foreach (var e in imported)
        {
            Assert.Multiple(() =>
            {
                Assert.That(e.GetProperty("RunId").GetInt64(), Is.GreaterThan(0));
                Assert.That(e.GetProperty("JobId").GetString(), Is.Not.Empty);
                Assert.That(e.GetProperty("Symbol").GetString(), Is.AnyOf("AAPL", "EURUSD"));
                Assert.That(e.GetProperty("Timeframe").GetString(), Is.AnyOf("1d", "1h"));
            });
        }
    }

    private async Task RunPsqlAsync(string script)
    {
        var admin = new NpgsqlConnectionStringBuilder(_admin);
        var info = new ProcessStartInfo(Psql(), ["-X", "-q", "-h", admin.Host!, "-p", admin.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-U", admin.Username!, "-d", admin.Database!, "-v", $"worker_password={_password}", "-f", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["PGPASSWORD"] = admin.Password;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, $"psql -f {script}: {await stderr}{await stdout}");
    }

    private static string Psql() =>
        new[] { "/usr/bin/psql" }.Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "psql"))
                : [])
            .FirstOrDefault(File.Exists) ?? throw new InvalidOperationException("psql not found: install the postgresql-client package");
}

using Dapper;
using DbUp;
using DbUp.Engine;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs.Schema;
using Ktrdr.Tests.Infrastructure;
using Npgsql;

namespace Ktrdr.Tests.Jobs;

/// <summary>
/// Jobs owns the migration's tables and their scripts. A database migrated before that, when Backends embedded the
/// scripts and journaled them under its own resource names, upgrades with no script run twice; a fresh one gets every
/// table, each script journaled under its owner.
/// </summary>
public sealed class JobsSchemaTests
{
    private const string BackendsPrefix = "Ktrdr.Backends.Timescale.Migrations.";

    private static readonly string[] JobsScripts =
        ["002_migration_runs.sql", "003_self_heal.sql", "004_import_checkpoints.sql", "005_retention.sql", "006_quality_findings.sql", "008_import_range.sql"];

    private static readonly string[] JobsTables =
        ["migration_runs", "migration_items", "rejected_rows", "verification_results", "quality_checks", "quality_findings"];

    [Test]
    public async Task Database_migrated_before_Jobs_owned_its_scripts_upgrades_without_running_any_again()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("legacyjournal");
        await MigrateAsTheLastReleaseDidAsync(connectionString, JobsScripts);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.ExecuteAsync("INSERT INTO migration_runs (data_dir, report_dir) VALUES ('/data', '/report')");
        }

        var before = await JournalAsync(connectionString);
        await using var services = TestServices.Build(connectionString, Path.GetTempPath());
        var migrator = services.GetRequiredService<SchemaMigrator>();

        Assert.That(await migrator.PendingAsync(CancellationToken.None), Is.Empty, "scripts journaled under Backends' names count as applied");
        Assert.That(await migrator.MigrateAsync(CancellationToken.None), Is.Empty, "no script runs again");

        var after = await JournalAsync(connectionString);
        Assert.That(after.Select(e => e.Name), Is.EqualTo(new[] { BackendsPrefix + "001_price_data.sql" }.Concat(JobsScripts.Select(s => JobsSchema.ResourcePrefix + s))),
            "each script journaled once, under its owner's name");
        Assert.That(after.Select(e => (e.Id, e.Applied)), Is.EqualTo(before.Select(e => (e.Id, e.Applied))), "the entries keep their id and applied time");

        Assert.That(await migrator.MigrateAsync(CancellationToken.None), Is.Empty, "a second upgrade changes nothing");
        Assert.That(await JournalAsync(connectionString), Is.EqualTo(after));
        await using var check = new NpgsqlConnection(connectionString);
        Assert.That(await check.ExecuteScalarAsync<long>("SELECT count(*) FROM migration_runs"), Is.EqualTo(1), "the run recorded before the upgrade is still there");
    }

    [Test]
    public async Task The_real_CLI_finds_a_database_migrated_before_Jobs_owned_its_scripts_up_to_date()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("legacycli");
        await MigrateAsTheLastReleaseDidAsync(connectionString, JobsScripts);
        var settings = new Dictionary<string, string?> { ["DB_TYPE"] = "postgresql", ["DB_CONNECTION_STRING"] = connectionString };

        var status = await CliProcess.RunAsync(settings, "db", "status");
        Assert.That(status.ExitCode, Is.Zero, status.Stdout + status.Stderr);
        Assert.That(status.Stdout, Does.Contain("schema: up to date"));

        var migrate = await CliProcess.RunAsync(settings, "db", "migrate");
        Assert.That(migrate.ExitCode, Is.Zero, migrate.Stdout + migrate.Stderr);
        Assert.That(migrate.Stdout, Does.Contain("is up to date").And.Not.Contain("applied"));
        Assert.That((await JournalAsync(connectionString)).Select(e => e.Name).Where(n => n.StartsWith(JobsSchema.ResourcePrefix, StringComparison.Ordinal)),
            Has.Exactly(JobsScripts.Length).Items, "the journal lists the migration's scripts under Jobs");
    }

    [Test]
    public async Task Database_of_an_older_release_gets_only_the_scripts_it_lacks()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("olderjournal");
        await MigrateAsTheLastReleaseDidAsync(connectionString, JobsScripts[..3]);
        await using var services = TestServices.Build(connectionString, Path.GetTempPath());
        var migrator = services.GetRequiredService<SchemaMigrator>();

        Assert.That(await migrator.PendingAsync(CancellationToken.None), Is.EqualTo(JobsScripts[3..]));
        Assert.That(await migrator.MigrateAsync(CancellationToken.None), Is.EqualTo(JobsScripts[3..]));
        Assert.That((await JournalAsync(connectionString)).Select(e => e.Name),
            Is.EqualTo(new[] { BackendsPrefix + "001_price_data.sql" }.Concat(JobsScripts.Select(s => JobsSchema.ResourcePrefix + s))));
        await using var connection = new NpgsqlConnection(connectionString);
        Assert.That(await connection.ExecuteScalarAsync<bool>("SELECT to_regclass('quality_checks') IS NOT NULL"), Is.True);
    }

    [Test]
    public async Task Fresh_database_gets_every_table_and_journals_each_script_under_its_owner()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("freshjournal");
        await using var services = TestServices.Build(connectionString, Path.GetTempPath());
        var migrator = services.GetRequiredService<SchemaMigrator>();

        Assert.That(await migrator.PendingAsync(CancellationToken.None), Is.EqualTo(new[] { "001_price_data.sql" }.Concat(JobsScripts)));
        Assert.That(await migrator.MigrateAsync(CancellationToken.None), Is.EqualTo(new[] { "001_price_data.sql" }.Concat(JobsScripts)));
        Assert.That(await migrator.PendingAsync(CancellationToken.None), Is.Empty);

        await using var connection = new NpgsqlConnection(connectionString);
        foreach (var table in JobsTables.Append("price_data"))
        {
            Assert.That(await connection.ExecuteScalarAsync<bool>("SELECT to_regclass(@table) IS NOT NULL", new { table }), Is.True, table);
        }

        Assert.That(await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'migration_runs' AND column_name = 'range_start')"), Is.True,
            "the last script ran too");
        Assert.That((await JournalAsync(connectionString)).Select(e => e.Name),
            Is.EqualTo(new[] { BackendsPrefix + "001_price_data.sql" }.Concat(JobsScripts.Select(s => JobsSchema.ResourcePrefix + s))));
    }

    /// <summary>
    /// The journal as the release before this change left it: every script embedded in Backends and journaled by DbUp
    /// under Backends' resource name, then the TimescaleDB features.
    /// </summary>
    private static async Task MigrateAsTheLastReleaseDidAsync(string connectionString, IEnumerable<string> jobsScripts)
    {
        var scripts = new[] { new SqlScript(BackendsPrefix + "001_price_data.sql", Resource(typeof(PriceDataSchema), BackendsPrefix + "001_price_data.sql")) }
            .Concat(jobsScripts.Select(s => new SqlScript(BackendsPrefix + s, Resource(typeof(JobsSchema), JobsSchema.ResourcePrefix + s))));
        var result = DeployChanges.To.PostgresqlDatabase(connectionString).WithScripts(scripts).WithTransactionPerScript().LogToNowhere().Build().PerformUpgrade();
        Assert.That(result.Successful, Is.True, result.Error?.Message);

        await using var services = TestServices.Build(connectionString, Path.GetTempPath());
        Assert.That(await services.GetRequiredService<PriceDataSchema>().MigrateAsync(CancellationToken.None), Is.Empty);
    }

    private static string Resource(Type owner, string name)
    {
        using var stream = owner.Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"no embedded script {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task<List<(int Id, string Name, DateTime Applied)>> JournalAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var rows = await connection.QueryAsync<(int, string, DateTime)>("SELECT schemaversionsid, scriptname, applied FROM schemaversions ORDER BY schemaversionsid");
        return rows.ToList();
    }
}

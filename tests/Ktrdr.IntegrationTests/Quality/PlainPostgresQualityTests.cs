using Dapper;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Tests.Jobs.Quality;
using Npgsql;

namespace Ktrdr.Tests.Quality;

/// <summary>The data-quality checks with <c>TSDB_ENABLED=false</c>: price_data a plain table, the same findings.</summary>
public sealed class PlainPostgresQualityTests
{
    [Test]
    public async Task On_a_plain_table_migrate_and_data_quality_report_the_planted_faults()
    {
        var database = await PostgresServer.CreateDatabaseAsync("qualityplain");
        var root = Directory.CreateTempSubdirectory("ktrdr-qualityplain-").FullName;
        try
        {
            await FaultyFiles.WriteAsync(Path.Combine(root, "data"));
            var settings = new Dictionary<string, string?>
            {
                ["DB_TYPE"] = "postgresql",
                ["DB_CONNECTION_STRING"] = database,
                ["DATA_DIR"] = Path.Combine(root, "data"),
                ["KTRDR_LOG_LEVEL"] = "Warning",
                ["TSDB_ENABLED"] = "false",
            };
            var migrate = await CliProcess.RunAsync(settings, "migrate", "--yes", "--report-dir", Path.Combine(root, "report"));
            Assert.That(migrate.ExitCode, Is.Zero, migrate.Stdout + migrate.Stderr);
            await using (var connection = new NpgsqlConnection(database))
            {
                Assert.That(await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')"), Is.False);
            }

            var quality = await CliProcess.RunAsync(settings, "data", "quality", "--all");
            Assert.That(quality.ExitCode, Is.Zero, quality.Stdout + quality.Stderr);
            foreach (var (kind, time) in new[]
            {
                ("gap", FaultySeries.HoleFirst), ("missing-day", FaultySeries.MissingDay.AddHours(14)), ("jump", FaultySeries.Jump),
                ("zero-volume", FaultySeries.ZeroVolumeStart), ("stale-close", FaultySeries.StaleStart), ("session-shift", FaultySeries.ShiftDate),
            })
            {
                Assert.That(quality.Stdout, Does.Match($@"{kind}\s+{System.Text.RegularExpressions.Regex.Escape(FaultyFiles.Cli(time))}"), quality.Stdout);
            }

            Assert.That(quality.Stdout, Does.Match(@"(?m)^CLEAN\s+1h\s+1,050(\s+0){10}$"), "weekends and nights are not gaps");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

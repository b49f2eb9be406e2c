using System.Text.RegularExpressions;
using Dapper;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Tests.Jobs.Quality;
using Npgsql;

namespace Ktrdr.Tests.Quality;

/// <summary>
/// The data-quality checks end to end on the native TimescaleDB engine: generated hourly bars with planted faults are
/// migrated by the real CLI, and each fault is reported with its timestamp in MIGRATION_RESULTS.md, the JSON, the
/// quality tables, <c>data quality</c> and <c>verify</c>; weekends and nights are not gaps; findings never fail a
/// command unless <c>--fail-on quality</c>.
/// </summary>
public sealed class DataQualityTests
{
    private string _database = "";
    private string _root = "";
    private CliProcess.Result _migrate = new(-1, "", "");

    private Dictionary<string, string?> Settings => new()
    {
        ["DB_TYPE"] = "postgresql",
        ["DB_CONNECTION_STRING"] = _database,
        ["DATA_DIR"] = Path.Combine(_root, "data"),
        ["KTRDR_LOG_LEVEL"] = "Warning",
    };

    private string ReportDir => Path.Combine(_root, "report");

    [OneTimeSetUp]
    public async Task MigrateFaultyFiles()
    {
        _database = await PostgresServer.CreateDatabaseAsync("quality");
        _root = Directory.CreateTempSubdirectory("ktrdr-quality-").FullName;
        await FaultyFiles.WriteAsync(Path.Combine(_root, "data"));
        _migrate = await CliProcess.RunAsync(Settings, "migrate", "--yes", "--report-dir", ReportDir);
    }

    [OneTimeTearDown]
    public void RemoveFiles() => Directory.Delete(_root, recursive: true);

    [Test]
    public async Task Migrate_succeeds_on_a_hypertable_and_its_report_lists_every_planted_fault_with_its_timestamp()
    {
        Assert.That(_migrate.ExitCode, Is.Zero, "findings are warnings: " + _migrate.Stdout + _migrate.Stderr);
        await using var connection = new NpgsqlConnection(_database);
        Assert.That(await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM timescaledb_information.hypertables WHERE hypertable_name = 'price_data')"), Is.True, "native TimescaleDB");

        var report = await File.ReadAllTextAsync(Path.Combine(ReportDir, "MIGRATION_RESULTS.md"));
        Assert.That(report, Does.Contain("## Data quality"));
        Assert.That(report, Does.Contain("**Status**: ✅ SUCCESS"));
        Assert.That(report, Does.Match(@"\| FAULTY \| 1h \| [0-9,]+ \| 1 \| 10 \| 1 \| 0 \| 1 \| 1 \| 1 \| 1 \| 0 \| 0 \|"), report);
        Assert.That(report, Does.Contain($"| gap | {FaultyFiles.Report(FaultySeries.HoleFirst)} | {FaultyFiles.Report(FaultySeries.HoleLast)} | 3 |"));
        Assert.That(report, Does.Contain($"| missing-day | {FaultyFiles.Report(FaultySeries.MissingDay.AddHours(14))} |"));
        Assert.That(report, Does.Match($@"\| jump \| {FaultyFiles.Report(FaultySeries.Jump)} \| [^|]+ \| 1 \| 40(\.\d+)? \|"));
        Assert.That(report, Does.Contain($"| zero-volume | {FaultyFiles.Report(FaultySeries.ZeroVolumeStart)} |"));
        Assert.That(report, Does.Contain($"| stale-close | {FaultyFiles.Report(FaultySeries.StaleStart)} |"));
        Assert.That(report, Does.Contain($"| session-shift | {FaultyFiles.Report(FaultySeries.ShiftDate)} |"));
        Assert.That(report, Does.Contain("moved by +5 h from 2025-09-17: 14:00-21:00 UTC before, 19:00-02:00 UTC after"));
        Assert.That(report, Does.Contain("most common spacing is 30m"));
        Assert.That(report, Does.Match(@"\| CLEAN \| 1h \| 1,050 \| 0 \| 0 \| 0 \| 0 \| 0 \| 0 \| 0 \| 0 \| 0 \| 0 \|"), "weekends and nights are not gaps");

        var json = await File.ReadAllTextAsync(Directory.GetFiles(ReportDir, "migration_results_*.json").Single());
        Assert.That(json, Does.Contain("\"quality\"").And.Contain("\"kind\": \"session-shift\"").And.Contain("\"start\": \"2025-09-10T16:00:00Z\""));
    }

    [Test]
    public async Task The_findings_are_stored_per_series_for_operations_and_the_dashboard()
    {
        await using var connection = new NpgsqlConnection(_database);
        var kinds = (await connection.QueryAsync<(string Kind, DateTime Start)>("""
            SELECT f.kind, f.start_time FROM quality_findings f JOIN quality_checks c ON c.id = f.check_id
            WHERE c.source = 'run' AND c.symbol = 'FAULTY' ORDER BY f.start_time
            """)).Select(r => $"{r.Kind} {FaultyFiles.Cli(DateTime.SpecifyKind(r.Start, DateTimeKind.Utc))}").ToList();
        Assert.That(kinds, Is.SupersetOf(new[]
        {
            $"stale-close {FaultyFiles.Cli(FaultySeries.StaleStart)}", $"flat-bars {FaultyFiles.Cli(FaultySeries.StaleStart)}",
            $"jump {FaultyFiles.Cli(FaultySeries.Jump)}", $"gap {FaultyFiles.Cli(FaultySeries.HoleFirst)}",
            $"missing-day {FaultyFiles.Cli(FaultySeries.MissingDay.AddHours(14))}", $"zero-volume {FaultyFiles.Cli(FaultySeries.ZeroVolumeStart)}",
        }));
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT findings FROM quality_checks WHERE source = 'run' AND symbol = 'CLEAN'"), Is.Zero);

        var status = await CliProcess.RunAsync(Settings, "operations", "status", "run:1");
        Assert.That(status.ExitCode, Is.Zero, status.Stdout + status.Stderr);
        Assert.That(status.Stdout, Does.Match(@"data quality \(warnings; checked [^)]+\): \d+ finding\(s\) in 3 of 5 series"));
        Assert.That(status.Stdout, Does.Contain($"session-shift        {FaultyFiles.Cli(FaultySeries.ShiftDate)}"));
    }

    [Test]
    public async Task Data_quality_on_demand_reports_each_fault_and_fails_only_with_fail_on_quality()
    {
        var one = await CliProcess.RunAsync(Settings, "data", "quality", "FAULTY", "1h");
        Assert.That(one.ExitCode, Is.Zero, one.Stdout + one.Stderr);
        Assert.That(one.Stdout, Does.Match($@"gap\s+{Regex.Escape(FaultyFiles.Cli(FaultySeries.HoleFirst))} \.\. {Regex.Escape(FaultyFiles.Cli(FaultySeries.HoleLast))}  3 bars missing"));
        Assert.That(one.Stdout, Does.Match($@"jump\s+{Regex.Escape(FaultyFiles.Cli(FaultySeries.Jump))}  close-to-open \+40\.\d%"));
        Assert.That(one.Stdout, Does.Match($@"zero-volume\s+{Regex.Escape(FaultyFiles.Cli(FaultySeries.ZeroVolumeStart))} \.\. \S+  50 bars with zero volume"));

        var all = await CliProcess.RunAsync(Settings, "data", "quality", "--all", "--fail-on", "quality");
        Assert.That(all.ExitCode, Is.EqualTo(1), all.Stdout + all.Stderr);
        Assert.That(all.Stdout, Does.Match(@"(?m)^CLEAN2?\s+1h\s+1,050(\s+0){10}$"));
        Assert.That(all.Stdout, Does.Match($@"session-shift\s+{Regex.Escape(FaultyFiles.Cli(FaultySeries.ShiftDate))}  time-of-day profile moved by \+5 h"));
        Assert.That(all.Stderr, Does.Contain("data-quality finding(s) and --fail-on quality"));
    }

    [Test]
    public async Task Verify_passes_with_findings_and_fails_with_fail_on_quality()
    {
        var verify = await CliProcess.RunAsync(Settings, "verify");
        Assert.That(verify.ExitCode, Is.Zero, verify.Stdout + verify.Stderr);
        Assert.That(verify.Stdout, Does.Contain("verify: PASSED").And.Match(@"data quality: \d+ finding\(s\) in 3 of 5 series"));

        var strict = await CliProcess.RunAsync(Settings, "verify", "--fail-on", "quality");
        Assert.That(strict.ExitCode, Is.EqualTo(1), strict.Stdout + strict.Stderr);

        var bad = await CliProcess.RunAsync(Settings, "verify", "--fail-on", "everything");
        Assert.That(bad.ExitCode, Is.EqualTo(2));
        Assert.That(bad.Stderr, Does.Contain("--fail-on 'everything' is not known"));
    }

    [Test]
    public async Task Migrate_with_fail_on_quality_exits_1_and_a_rules_file_allows_known_dates()
    {
        var rules = Path.Combine(_root, "quality-rules.txt");
        await File.WriteAllLinesAsync(rules, ["ignore FAULTY 1h jump 2025-08-05   # a known split", "ignore * * missing-day 2025-10-16"]);

        var strict = await CliProcess.RunAsync(Settings, "migrate", "--yes", "--report-dir", Path.Combine(_root, "report2"), "--fail-on", "quality");
        Assert.That(strict.ExitCode, Is.EqualTo(1), strict.Stdout + strict.Stderr);
        Assert.That(strict.Stderr, Does.Contain("data-quality finding(s) and --fail-on quality"));

        var allowed = await CliProcess.RunAsync(new Dictionary<string, string?>(Settings) { ["KTRDR_QUALITY_RULES"] = rules }, "data", "quality", "FAULTY", "1h");
        Assert.That(allowed.ExitCode, Is.Zero, allowed.Stdout + allowed.Stderr);
        Assert.That(allowed.Stdout, Does.Not.Contain(" jump ").And.Not.Contain("missing-day"));
        Assert.That(allowed.Stdout, Does.Match(@"(?m)^FAULTY\s+1h\s+.*\s2$"), "the two allowed findings are counted");

        await File.WriteAllLinesAsync(rules, ["ignore FAULTY 1h jumps 2025-08-05"]);
        var broken = await CliProcess.RunAsync(new Dictionary<string, string?>(Settings) { ["KTRDR_QUALITY_RULES"] = rules }, "data", "quality", "--all");
        Assert.That(broken.ExitCode, Is.EqualTo(2), broken.Stdout + broken.Stderr);
        Assert.That(broken.Stderr, Does.Contain("line 1").And.Contain("'jumps' is not a finding kind"));
    }
}

using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs.Verification;
using Ktrdr.Tests.Infrastructure;

namespace Ktrdr.Tests.Jobs;

/// <summary>The TimescaleDB part of the integrity checks, on a real TimescaleDB engine.</summary>
public sealed class IntegrityCheckerTimescaleTests
{
    private const string CheckName = "TimescaleDB hypertable and compression as configured";
    private string _connectionString = "";
    private string _dataDir = "";

    [OneTimeSetUp]
    public async Task ApplySchema()
    {
        _connectionString = await TimescaleDatabase.CreateAsync("tsdb");
        _dataDir = Directory.CreateTempSubdirectory("ktrdr-integrity-").FullName;
        await using var services = Services([]);
        await services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
    }

    [OneTimeTearDown]
    public void DeleteDataDir() => Directory.Delete(_dataDir, recursive: true);

    [Test]
    public async Task The_hypertable_and_compression_as_configured_pass()
    {
        var check = await CheckAsync([]);

        Assert.That(check.Passed, Is.True, check.Detail);
        Assert.That(check.Detail, Does.Contain("hypertable, chunk 90.00:00:00, compression on, policy on"));
    }

    [Test]
    public async Task Compression_switched_off_in_the_settings_but_on_in_the_database_fails_and_names_the_setting()
    {
        var check = await CheckAsync(new() { ["TSDB_COMPRESSION"] = "false" });

        Assert.That(check.Passed, Is.False);
        Assert.That(check.Detail, Does.Contain("compression is on, TSDB_COMPRESSION says off"));
    }

    [Test]
    public async Task Another_chunk_interval_in_the_settings_fails_and_names_both_intervals()
    {
        var check = await CheckAsync(new() { ["TSDB_CHUNK_INTERVAL"] = "1.00:00:00" });

        Assert.That(check.Passed, Is.False);
        Assert.That(check.Detail, Does.Contain("chunk interval is 90.00:00:00, TSDB_CHUNK_INTERVAL says 1.00:00:00"));
    }

    private async Task<IntegrityCheck> CheckAsync(Dictionary<string, string?> settings)
    {
        await using var services = Services(settings);
        var report = await services.GetRequiredService<IntegrityChecker>().CheckAsync(CancellationToken.None);
        Assert.That(report.Checks.Where(c => c.Name != CheckName), Has.All.Matches<IntegrityCheck>(c => c.Passed));
        return report.Checks.Single(c => c.Name == CheckName);
    }

    private ServiceProvider Services(Dictionary<string, string?> settings) =>
        TestServices.Build(_connectionString, _dataDir, settings, (s, _) => s.AddSingleton<IntegrityChecker>());
}

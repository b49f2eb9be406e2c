using Dapper;
using Ktrdr.Jobs;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Tests.Jobs.Quality;
using Npgsql;

namespace Ktrdr.Tests.Quality;

[NonParallelizable] // Hangfire in this process (JobsHarness.StartServer)
public sealed class NightlyQualityTests
{
    [Test]
    [CancelAfter(300_000)]
    public async Task The_nightly_job_stores_each_series_quality_findings_once_per_series_and_they_do_not_count_as_mismatches(CancellationToken cancellationToken)
    {
        await using var harness = await JobsHarness.CreateAsync("nightlyquality");
        await FaultyFiles.WriteAsync(harness.DataDir);
        harness.StartServer("nightlyquality");
        await harness.WaitForRunAsync(await harness.StartRunAsync(), cancellationToken: cancellationToken);
        var nightly = harness.Services.GetRequiredService<NightlyVerifyJob>();

        Assert.That(await nightly.RunAsync(cancellationToken), Is.Zero, "findings are warnings, not mismatches");
        Assert.That(await nightly.RunAsync(cancellationToken), Is.Zero);

        await using var connection = new NpgsqlConnection(harness.ConnectionString);
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM quality_checks WHERE source = 'nightly'"), Is.EqualTo(5),
            "a new check of a series replaces the previous one of the same source");
        var jump = await connection.ExecuteScalarAsync<DateTime>("""
            SELECT f.start_time FROM quality_findings f JOIN quality_checks c ON c.id = f.check_id
            WHERE c.source = 'nightly' AND c.symbol = 'FAULTY' AND f.kind = 'jump'
            """);
        Assert.That(DateTime.SpecifyKind(jump, DateTimeKind.Utc), Is.EqualTo(FaultySeries.Jump));
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT findings FROM quality_checks WHERE source = 'nightly' AND symbol = 'CLEAN'"), Is.Zero);
    }
}

using System.Globalization;
using System.Text.Json;
using Dapper;
using Ktrdr.Jobs;
using Ktrdr.Tests.Infrastructure;
using Npgsql;

namespace Ktrdr.Tests.Platform;

/// <summary>
/// <c>migrate</c> into the platform's own price_data with its 10-year retention policy (<see cref="PlatformSchema"/>):
/// the guard stops before writing, and each of the user's two choices keeps every bar it did not leave out, through a
/// forced run of the policy's job, verification and the nightly job.
/// </summary>
[NonParallelizable] // Hangfire in this process (JobsHarness.StartServer)
public sealed class PlatformRetentionTests
{
    private static readonly DateTime OldStart = new(2014, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Test]
    public async Task Migrate_of_bars_older_than_the_retention_cutoff_stops_before_writing_and_names_policy_cutoff_rows_and_files()
    {
        await using var harness = await PlatformHarnessAsync("plat_guard");
        var (old, _) = await WriteFilesAsync(harness);
        var cutoff = await CutoffAsync(harness);
        var expected = old.Count(t => t < cutoff);

        var result = await CliProcess.RunAsync(harness.Settings, "migrate", "--yes");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Stdout);
        Assert.That(result.Stderr, Does.Contain("retention policy job").And.Contain("drop_after 10 years").And.Contain("cutoff")
            .And.Contain(string.Create(CultureInfo.InvariantCulture, $"would delete {expected:N0} rows of 1 of the 2 planned files"))
            .And.Contain("OLD_1d.csv: ").And.Contain("nothing was written")
            .And.Contain("--drop-retention-policy").And.Contain("--skip-older-than-retention"));
        Assert.That(result.Stderr, Does.Not.Contain("NEW_1h.csv: "), "a file without old bars is not named");
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM price_data"), Is.Zero);
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM migration_runs"), Is.Zero);
        TestContext.Out.WriteLine(result.Stderr);
    }

    [Test]
    public async Task Drop_retention_policy_migrates_every_bar_which_a_forced_retention_run_leaves_and_verify_matches_exactly()
    {
        await using var harness = await PlatformHarnessAsync("plat_drop");
        var (old, recent) = await WriteFilesAsync(harness);
        var job = await PlatformSchema.RetentionJobAsync(harness.ConnectionString);

        var result = await CliProcess.RunAsync(harness.Settings, "migrate", "--yes", "--drop-retention-policy");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr + result.Stdout);
        Assert.That(result.Stdout, Does.Contain($"removed the retention policy (job {job})"));
        Assert.That(await PlatformSchema.RetentionJobAsync(harness.ConnectionString), Is.Null);
        await RunEveryPolicyAsync(harness);
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM price_data"), Is.EqualTo(old.Count + recent.Count));
        var verify = await CliProcess.RunAsync(harness.Settings, "verify");
        Assert.That(verify.ExitCode, Is.EqualTo(0), verify.Stdout + verify.Stderr);
    }

    [Test]
    public async Task Skip_older_than_retention_counts_and_lists_the_left_out_bars_loses_nothing_else_and_nothing_heals_them()
    {
        await using var harness = await PlatformHarnessAsync("plat_skip");
        var (old, recent) = await WriteFilesAsync(harness);

        var result = await CliProcess.RunAsync(harness.Settings, "migrate", "--yes", "--skip-older-than-retention");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr + result.Stdout);
        await using var connection = new NpgsqlConnection(harness.ConnectionString);
        var item = await connection.QuerySingleAsync<(DateTime Cutoff, long Older, long Read, long Inserted)>(
            "SELECT retention_cutoff, older_than_retention, rows_read, inserted FROM migration_items WHERE symbol = 'OLD'");
        var leftOut = old.Count(t => t < item.Cutoff);
        Assert.That(leftOut, Is.GreaterThan(0));
        Assert.That((item.Older, item.Read, item.Inserted), Is.EqualTo(((long)leftOut, (long)old.Count, (long)(old.Count - leftOut))));
        Assert.That(result.Stdout, Does.Contain(string.Create(CultureInfo.InvariantCulture, $"{leftOut:N0} older than retention (left out)")));

        var markdown = await File.ReadAllTextAsync(Path.Combine(harness.ReportDir, "MIGRATION_RESULTS.md"));
        Assert.That(markdown, Does.Contain(string.Create(CultureInfo.InvariantCulture, $"+ {leftOut:N0} older than retention"))
            .And.Contain("## Older Than Retention (left out)")
            .And.Contain(string.Create(CultureInfo.InvariantCulture, $"| OLD | 1d | {leftOut:N0} | 2014-01-01 00:00:00 |")));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Directory.GetFiles(harness.ReportDir, "migration_results_*.json").Single()));
        Assert.That(json.RootElement.GetProperty("summary").GetProperty("older_than_retention").GetInt64(), Is.EqualTo(leftOut));

        // The policy's own job, forced now: it finds nothing of what the migration wrote to delete.
        var total = old.Count - leftOut + recent.Count;
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM price_data"), Is.EqualTo(total));
        await RunEveryPolicyAsync(harness);
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM price_data"), Is.EqualTo(total), "the retention run deleted bars the user kept");

        var verify = await CliProcess.RunAsync(harness.Settings, "verify");
        Assert.That(verify.ExitCode, Is.EqualTo(0), verify.Stdout + verify.Stderr);
        var nightly = harness.Services.GetRequiredService<NightlyVerifyJob>();
        Assert.That(await nightly.RunAsync(CancellationToken.None), Is.Zero, "bars older than retention are not a mismatch");
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM migration_runs"), Is.EqualTo(1), "no heal run re-imports them");
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM verification_results WHERE NOT passed"), Is.Zero);
    }

    [Test]
    [CancelAfter(420_000)]
    public async Task A_heal_under_a_retention_policy_re_imports_missing_recent_bars_and_leaves_the_old_ones_out(CancellationToken cancellationToken)
    {
        await using var harness = await PlatformHarnessAsync("plat_heal");
        var (old, recent) = await WriteFilesAsync(harness);
        Assert.That((await CliProcess.RunAsync(harness.Settings, "migrate", "--yes", "--skip-older-than-retention")).ExitCode, Is.EqualTo(0));
        await using (var connection = new NpgsqlConnection(harness.ConnectionString))
        {
            await connection.ExecuteAsync("DELETE FROM price_data WHERE symbol = 'OLD' AND time >= '2017-06-01'");
        }

        harness.StartServer("plat-heal");
        var nightly = harness.Services.GetRequiredService<NightlyVerifyJob>();
        Assert.That(await nightly.RunAsync(CancellationToken.None), Is.EqualTo(1));
        var heal = await harness.ScalarAsync("SELECT max(id) FROM migration_runs");
        Assert.That((await harness.WaitForRunAsync(heal, cancellationToken: cancellationToken)).State, Is.EqualTo(RunState.Succeeded));
        var cutoff = await harness.ScalarAsync("SELECT count(*) FROM migration_items WHERE run_id = @heal AND retention_cutoff IS NOT NULL", new { heal });
        Assert.That(cutoff, Is.EqualTo(1), "the heal run leaves bars before the cutoff out");
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM price_data WHERE time < now() - interval '10 years'"), Is.Zero);
        Assert.That(await nightly.RunAsync(CancellationToken.None), Is.Zero);
        Assert.That(recent, Is.Not.Empty);
        Assert.That(old, Is.Not.Empty);
    }

    [Test]
    public async Task Db_status_on_the_platform_schema_shows_columns_keys_dimensions_and_policies()
    {
        await using var harness = await PlatformHarnessAsync("plat_status");

        var result = await CliProcess.RunAsync(harness.Settings, "db", "status");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.Contain("symbol character varying(32) NOT NULL").And.Contain("source character varying(32) DEFAULT 'ib'")
            .And.Contain("chk_volume: CHECK").And.Contain("unique key on (symbol, timeframe, time): NONE")
            .And.Contain("CREATE INDEX idx_price_data_symbol_timeframe_time").And.Contain("space on symbol (4 partitions)")
            .And.Contain("policy_retention on price_data: {\"drop_after\": \"10 years\"").And.Contain("policy_compression on price_data")
            .And.Contain("retention: retention policy job").And.Contain("continuous aggregates: none"));
        TestContext.Out.WriteLine(result.Stdout);
    }

    internal static Task<JobsHarness> PlatformHarnessAsync(string prefix, bool migrate = true) =>
        JobsHarness.CreateAsync(prefix, PlatformSchema.CreateAsync, migrate);

    /// <summary>OLD_1d: 1,500 daily bars from 2014 (across the 10-year cutoff); NEW_1h: 200 hourly bars of the last weeks.</summary>
    private static async Task<(IReadOnlyList<DateTime> Old, IReadOnlyList<DateTime> Recent)> WriteFilesAsync(JobsHarness harness) =>
        (await PlatformSchema.WriteFileAsync(harness.DataDir, "OLD", "1d", OldStart, TimeSpan.FromDays(1), 1500),
         await PlatformSchema.WriteFileAsync(harness.DataDir, "NEW", "1h", DateTime.UtcNow.Date.AddDays(-20), TimeSpan.FromHours(1), 200));

    private static async Task<DateTime> CutoffAsync(JobsHarness harness)
    {
        await using var connection = new NpgsqlConnection(harness.ConnectionString);
        return DateTime.SpecifyKind(await connection.ExecuteScalarAsync<DateTime>("SELECT now() - interval '10 years'"), DateTimeKind.Utc);
    }

    /// <summary>Runs every retention job of the database now, in this session (<c>CALL run_job</c>), as the scheduler would daily.</summary>
    private static async Task RunEveryPolicyAsync(JobsHarness harness)
    {
        await using var connection = new NpgsqlConnection(harness.ConnectionString);
        await connection.OpenAsync();
        foreach (var job in await connection.QueryAsync<int>("SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention'"))
        {
            await connection.ExecuteAsync("CALL run_job(@job)", new { job });
        }
    }
}

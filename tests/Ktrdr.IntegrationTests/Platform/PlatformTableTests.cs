using Dapper;
using Ktrdr.Jobs;
using Ktrdr.Tests.Infrastructure;
using Npgsql;

namespace Ktrdr.Tests.Platform;

/// <summary>
/// Adopting the platform's own price_data (<see cref="PlatformSchema"/>): <c>db migrate</c> keeps it and says how it
/// differs, imports stay idempotent without a unique key, <c>--add-unique-key</c> checks for duplicates first, and a
/// symbol longer than the column fails its file by name.
/// </summary>
public sealed class PlatformTableTests
{
    // Recent bars: nothing here is near the retention cutoff, and the test database's compression policy leaves them alone.
    private static readonly DateTime Start = DateTime.UtcNow.Date.AddDays(-10);

    [Test]
    public async Task Db_migrate_keeps_the_platform_table_and_reports_each_difference_and_what_it_means()
    {
        await using var harness = await PlatformRetentionTests.PlatformHarnessAsync("plat_dbmig", migrate: false);

        var result = await CliProcess.RunAsync(harness.Settings, "db", "migrate");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.Contain("price_data existed before and differs from the table this worker creates")
            .And.Contain("symbol is character varying(32), not text: a file whose symbol is longer than 32 characters fails")
            .And.Contain("timeframe is character varying(8), not text")
            .And.Contain("extra column source character varying(32): not written by the migration: imported bars get its default ('ib'")
            .And.Contain("extra column created_at").And.Contain("CHECK constraint chk_high_low")
            .And.Contain("no primary key or unique index on (symbol, timeframe, time): imports stay idempotent without it")
            .And.Contain("chunk interval 7 days").And.Contain("space dimension on symbol (4 partitions): handled")
            .And.Contain("retention policy job").And.Contain("no compression"));
        await using var connection = new NpgsqlConnection(harness.ConnectionString);
        Assert.That(await connection.ExecuteScalarAsync<string>("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'price_data'::regclass AND attname = 'symbol'"),
            Is.EqualTo("character varying(32)"), "the platform's table is kept as it is");
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_index WHERE indrelid = 'price_data'::regclass AND indisunique"), Is.Zero);
        TestContext.Out.WriteLine(result.Stdout);
    }

    [Test]
    public async Task Re_running_a_migration_on_the_table_without_a_unique_key_adds_no_rows_for_sorted_and_unsorted_files()
    {
        await using var harness = await PlatformRetentionTests.PlatformHarnessAsync("plat_rerun");
        await PlatformSchema.WriteFileAsync(harness.DataDir, "AAPL", "1h", Start, TimeSpan.FromHours(1), 300);
        await PlatformSchema.WriteFileAsync(harness.DataDir, "MSFT", "1h", Start, TimeSpan.FromHours(1), 300, reversed: true);

        var first = await CliProcess.RunAsync(harness.Settings, "migrate", "--yes");
        Assert.That(first.ExitCode, Is.EqualTo(0), first.Stderr + first.Stdout);
        Assert.That(first.Stdout, Does.Contain("600 inserted"));
        var second = await CliProcess.RunAsync(harness.Settings, "migrate", "--yes");

        Assert.That(second.ExitCode, Is.EqualTo(0), second.Stderr + second.Stdout);
        Assert.That(second.Stdout, Does.Contain("0 inserted, 600 already present"));
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM price_data"), Is.EqualTo(600));
        Assert.That(await harness.ScalarAsync("SELECT count(*) - count(DISTINCT (symbol, timeframe, time)) FROM price_data"), Is.Zero, "no bar is stored twice");
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM price_data WHERE source IS DISTINCT FROM 'ib' OR created_at IS NULL"), Is.Zero,
            "source and created_at take the table's defaults");
    }

    [Test]
    public async Task A_symbol_longer_than_the_platform_column_fails_its_file_naming_the_column_and_its_length()
    {
        await using var harness = await PlatformRetentionTests.PlatformHarnessAsync("plat_long");
        var symbol = new string('L', 40);
        await PlatformSchema.WriteFileAsync(harness.DataDir, symbol, "1h", Start, TimeSpan.FromHours(1), 20);
        await PlatformSchema.WriteFileAsync(harness.DataDir, "AAPL", "1h", Start, TimeSpan.FromHours(1), 20);

        var result = await CliProcess.RunAsync(harness.Settings, "migrate", "--yes");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stdout, Does.Contain($"symbol '{symbol}' is 40 characters, but price_data.symbol is varchar(32) and holds at most 32"));
        Assert.That(result.Stdout + result.Stderr, Does.Not.Contain("22001"));
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM price_data WHERE symbol = 'AAPL'"), Is.EqualTo(20), "the other file imports");
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM migration_items WHERE state = @failed AND attempts = 1", new { failed = ItemState.Failed.ToText() }), Is.EqualTo(1), "failed at once, not retried");
    }

    [Test]
    public async Task Add_unique_key_reports_duplicates_with_their_timestamps_and_creates_the_key_once_there_are_none()
    {
        await using var harness = await PlatformRetentionTests.PlatformHarnessAsync("plat_key");
        await using var connection = new NpgsqlConnection(harness.ConnectionString);
        await connection.ExecuteAsync("""
            INSERT INTO price_data (time, symbol, timeframe, open, high, low, close, volume)
            VALUES (@t, 'AAPL', '1d', 1, 2, 1, 2, 10), (@t, 'AAPL', '1d', 1, 2, 1, 2, 10), (@u, 'AAPL', '1d', 1, 2, 1, 2, 10)
            """, new { t = Start, u = Start.AddDays(1) });

        var refused = await CliProcess.RunAsync(harness.Settings, "db", "migrate", "--add-unique-key");

        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(refused.Stderr, Does.Contain("cannot add the unique key: 1 (symbol, timeframe, time) are stored more than once")
            .And.Contain($"AAPL 1d {Start:yyyy-MM-dd}T00:00:00Z: 2 copies"));
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_index WHERE indrelid = 'price_data'::regclass AND indisunique"), Is.Zero);

        await connection.ExecuteAsync("DELETE FROM price_data WHERE time = @t AND ctid IN (SELECT ctid FROM price_data WHERE time = @t LIMIT 1)", new { t = Start });
        var created = await CliProcess.RunAsync(harness.Settings, "db", "migrate", "--add-unique-key");

        Assert.That(created.ExitCode, Is.EqualTo(0), created.Stderr);
        Assert.That(created.Stdout, Does.Contain("created unique index price_data_symbol_timeframe_time_key"));
        var status = await CliProcess.RunAsync(harness.Settings, "db", "status");
        Assert.That(status.Stdout, Does.Contain("unique key on (symbol, timeframe, time): yes"));
        Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
            "INSERT INTO price_data (time, symbol, timeframe, open, high, low, close, volume) VALUES (@u, 'AAPL', '1d', 1, 2, 1, 2, 10)", new { u = Start.AddDays(1) }));
    }
}

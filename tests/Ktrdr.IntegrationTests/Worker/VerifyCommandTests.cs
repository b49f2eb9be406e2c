using System.Text.RegularExpressions;
using Dapper;
using Ktrdr.Backends.Csv;
using Ktrdr.Worker.Demo;
using Npgsql;

namespace Ktrdr.Tests.Worker;

[NonParallelizable] // changes the shared migrated store (MigratedStore) that other fixtures read, and puts it back
public sealed class VerifyCommandTests
{
    [OneTimeSetUp]
    public Task Migrate() => MigratedStore.EnsureAsync();

    [Test]
    public async Task Verify_passes_after_a_migration_and_counts_rejected_lines_as_expected_absences()
    {
        var result = await MigratedStore.RunAsync("verify");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stdout + result.Stderr);
        Assert.That(result.Stdout, Does.Contain("verify: PASSED"));
        // Every bad line of the sample plus its one repeated timestamp is absent on purpose, and counted as such.
        var expectedAbsent = (SampleDataWriter.BadLines.Length + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(result.Stdout, Does.Match($@"(?m)^AAPL\s+1d\s+400\s+400\s+{expectedAbsent}\s.*\sok$"));
        Assert.That(result.Stdout, Does.Match(@"(?m)^EURUSD\s+1h\s+1,000\s+1,000\s+0\s.*\sok$"));
        Assert.That(result.Stdout, Does.Match(@"bars compared in [0-9.]+ s \([0-9,]+ rows/s\)"));
        Assert.That(result.Stderr, Does.Contain("4/4 series"));
    }

    [Test]
    public async Task After_one_value_changes_in_the_database_verify_fails_and_names_symbol_timeframe_and_timestamp()
    {
        await using var connection = new NpgsqlConnection(MigratedStore.ConnectionString);
        var time = await connection.ExecuteScalarAsync<DateTime>(
            "SELECT time FROM price_data WHERE symbol = 'EURUSD' AND timeframe = '1h' ORDER BY time OFFSET 100 LIMIT 1");
        await connection.ExecuteAsync(
            "UPDATE price_data SET volume = volume + 1 WHERE symbol = 'EURUSD' AND timeframe = '1h' AND time = @time", new { time });
        try
        {
            var result = await MigratedStore.RunAsync("verify");

            Assert.That(result.ExitCode, Is.EqualTo(1), result.Stdout + result.Stderr);
            Assert.That(result.Stdout, Does.Contain("verify: FAILED (1 series differ"));
            Assert.That(result.Stdout, Does.Match(@"(?m)^EURUSD\s+1h\s.*MISMATCH \(1\)$"));
            var stamp = Regex.Escape(CsvTimestamp.Format(DateTime.SpecifyKind(time, DateTimeKind.Utc)));
            Assert.That(result.Stdout, Does.Match($@"EURUSD 1h: 1 difference\(s\).*first: {stamp} csv \([^)]*,0\) != db \([^)]*,1\)"));
            Assert.That(result.Stdout, Does.Match(@"(?m)^AAPL\s+1d\s.*\sok$"), "the other series still match");
        }
        finally
        {
            await connection.ExecuteAsync(
                "UPDATE price_data SET volume = volume - 1 WHERE symbol = 'EURUSD' AND timeframe = '1h' AND time = @time", new { time });
        }
    }

    [Test]
    public async Task A_bar_that_breaks_the_ohlc_rules_or_has_negative_volume_fails_the_integrity_checks()
    {
        await using var connection = new NpgsqlConnection(MigratedStore.ConnectionString);
        await connection.ExecuteAsync("""
            INSERT INTO price_data (time, symbol, timeframe, open, high, low, close, volume)
            VALUES ('2021-03-04T05:00:00Z', 'BROKEN', '1d', 10, 9, 11, 10, -3)
            """);
        try
        {
            var result = await MigratedStore.RunAsync("verify", "--symbols", "AAPL,BROKEN");

            Assert.That(result.ExitCode, Is.EqualTo(1), result.Stdout + result.Stderr);
            Assert.That(result.Stdout, Does.Contain("FAIL  OHLC rules (low <= open, close <= high): 1 row(s) break it; first: BROKEN 1d 2021-03-04T05:00:00Z"));
            Assert.That(result.Stdout, Does.Contain("FAIL  no negative volume: 1 row(s) break it; first: BROKEN 1d"));
            Assert.That(result.Stdout, Does.Contain("only in the database (no CSV file; not a failure): BROKEN 1d"));
            Assert.That(result.Stdout, Does.Contain("0 series differ, 0 unreadable, 2 integrity check(s) failed"));
        }
        finally
        {
            await connection.ExecuteAsync("DELETE FROM price_data WHERE symbol = 'BROKEN'");
        }
    }

    [Test]
    public async Task A_symbol_that_could_escape_the_data_directory_is_refused()
    {
        var result = await MigratedStore.RunAsync("verify", "--symbols", "../etc");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("--symbols: '../etc' is not a valid symbol"));
    }
}

using System.Globalization;
using System.Text;
using Ktrdr.Tests.Infrastructure;

namespace Ktrdr.Tests.Worker;

/// <summary>
/// Gap filling with the real CLI on the real cluster: <c>migrate --symbols --timeframes --start-date --end-date</c>
/// imports only the bars of the range, counts the other lines as outside it, and verifies only the range; a wider
/// range adds the rest; bad dates exit 2.
/// </summary>
public sealed class GapFillCommandTests
{
    // Recent days (test databases compress chunks older than 30 days in the background), 12 five-minute bars a day.
    private static readonly DateTime FirstDay = DateTime.UtcNow.Date.AddDays(-10);
    private const int BarsPerDay = 12;
    private const int Days = 5;

    [Test]
    [CancelAfter(300_000)]
    public async Task A_range_imports_only_its_bars_counts_the_others_and_a_wider_range_adds_the_rest(CancellationToken cancellationToken)
    {
        await using var harness = await JobsHarness.CreateAsync("gapfill");
        await File.WriteAllTextAsync(Path.Combine(harness.DataDir, "AAPL_5m.csv"), FileText(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(harness.DataDir, "MSFT_5m.csv"), FileText(), cancellationToken);

        // Days 2 and 3 (the end date is inclusive: the whole UTC day).
        var narrow = await CliProcess.RunAsync(harness.Settings, "migrate", "--symbols", "AAPL", "--timeframes", "5m",
            "--start-date", Day(1), "--end-date", Day(2), "--yes");

        Assert.That(narrow.ExitCode, Is.Zero, narrow.Stdout + narrow.Stderr);
        // 60 bars, 2 rejected lines (one inside the range: rejected; one outside with a readable time: outside),
        // 1 exact repeat inside the range (present).
        var inside = 2 * BarsPerDay;
        var counts = (
            Aapl: await harness.ScalarAsync("SELECT count(*) FROM price_data WHERE symbol = 'AAPL'"),
            Msft: await harness.ScalarAsync("SELECT count(*) FROM price_data WHERE symbol = 'MSFT'"),
            Outside: await harness.ScalarAsync("SELECT count(*) FROM price_data WHERE time < @s OR time >= @e",
                new { s = FirstDay.AddDays(1), e = FirstDay.AddDays(3) }),
            Item: (await harness.Store.GetItemsAsync(1, cancellationToken)).Single());
        Assert.Multiple(() =>
        {
            Assert.That(narrow.Stdout, Does.Contain("range: from " + Day(1) + "T00:00:00Z (inclusive) to " + Day(3) + "T00:00:00Z (exclusive), UTC"));
            Assert.That(narrow.Stdout, Does.Contain("succeeded: 1/1 files imported and verified")
                .And.Contain($"{Days * BarsPerDay + 3} rows read").And.Contain($"{3 * BarsPerDay + 1} outside the requested range"));
            Assert.That(counts.Aapl, Is.EqualTo(inside));
            Assert.That(counts.Msft, Is.Zero, "only the symbol asked for");
            Assert.That(counts.Outside, Is.Zero, "nothing outside the range");
            Assert.That((counts.Item.RowsRead, counts.Item.Inserted, counts.Item.AlreadyPresent, counts.Item.Rejected, counts.Item.OutsideRange),
                Is.EqualTo(((long?)Days * BarsPerDay + 3, (long?)inside, (long?)1, (long?)1, (long?)(3 * BarsPerDay + 1))));
            Assert.That(counts.Item.Verified, Is.True, counts.Item.VerifyMessage);
            Assert.That(counts.Item.VerifyMessage, Does.Contain($"{inside} bars match"));
        });

        var markdown = await File.ReadAllTextAsync(Path.Combine(harness.ReportDir, "MIGRATION_RESULTS.md"), cancellationToken);
        Assert.That(markdown, Does.Contain($"**Range**: from {Day(1)}T00:00:00Z (inclusive)")
            .And.Contain($"+ 1 rejected + {3 * BarsPerDay + 1} outside the requested range")
            .And.Contain($"AAPL 5m: {3 * BarsPerDay + 1} lines outside the requested range"));
        var json = await File.ReadAllTextAsync(Directory.GetFiles(harness.ReportDir, "migration_results_*_run1.json").Single(), cancellationToken);
        Assert.That(json, Does.Contain($"\"outside_range\": {3 * BarsPerDay + 1}").And.Contain("\"range\": {"));

        // './ktrdr verify' of the same range holds; of the whole file it finds the bars left out.
        var verifyRange = await CliProcess.RunAsync(harness.Settings, "verify", "--symbols", "AAPL", "--timeframes", "5m", "--start-date", Day(1), "--end-date", Day(2));
        Assert.That(verifyRange.ExitCode, Is.Zero, verifyRange.Stdout + verifyRange.Stderr);
        Assert.That(verifyRange.Stderr, Does.Contain("only bars from " + Day(1)));
        var verifyWhole = await CliProcess.RunAsync(harness.Settings, "verify", "--symbols", "AAPL", "--timeframes", "5m");
        Assert.That(verifyWhole.ExitCode, Is.EqualTo(1), verifyWhole.Stdout + verifyWhole.Stderr);

        var status = await CliProcess.RunAsync(harness.Settings, "operations", "status", "run:1");
        Assert.That(status.ExitCode, Is.Zero, status.Stderr);
        Assert.That(status.Stdout, Does.Contain("range         from " + Day(1)).And.Contain("outside range"));

        // A wider range (days 1-4): the bars of days 2-3 are present, days 1 and 4 go in, day 5 stays outside.
        var wider = await CliProcess.RunAsync(harness.Settings, "migrate", "--symbols", "AAPL", "--timeframes", "5m",
            "--start-date", Day(0), "--end-date", Day(3), "--yes");
        Assert.That(wider.ExitCode, Is.Zero, wider.Stdout + wider.Stderr);
        Assert.That(wider.Stdout, Does.Contain($"{2 * BarsPerDay} inserted").And.Contain($"{inside + 1} already present")
            .And.Contain($"{BarsPerDay + 1} outside the requested range"));
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM price_data WHERE symbol = 'AAPL'"), Is.EqualTo(4 * BarsPerDay));

        // The whole file: everything is in, and the whole-file verification holds.
        var all = await CliProcess.RunAsync(harness.Settings, "migrate", "--symbols", "AAPL", "--timeframes", "5m", "--yes");
        Assert.That(all.ExitCode, Is.Zero, all.Stdout + all.Stderr);
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM price_data WHERE symbol = 'AAPL'"), Is.EqualTo(Days * BarsPerDay));
        var verify = await CliProcess.RunAsync(harness.Settings, "verify", "--symbols", "AAPL", "--timeframes", "5m");
        Assert.That(verify.ExitCode, Is.Zero, verify.Stdout + verify.Stderr);
    }

    [TestCase("--start-date", "2024-13-45", "--start-date '2024-13-45' is not a date")]
    [TestCase("--end-date", "yesterday", "--end-date 'yesterday' is not a date")]
    public async Task A_date_that_does_not_parse_exits_2_naming_the_option_and_value(string option, string value, string message)
    {
        await using var harness = await JobsHarness.CreateAsync("gapfill_bad");
        await File.WriteAllTextAsync(Path.Combine(harness.DataDir, "AAPL_5m.csv"), FileText());
        var result = await CliProcess.RunAsync(harness.Settings, "migrate", "--symbols", "AAPL", "--timeframes", "5m", option, value, "--yes");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
        Assert.That(result.Stderr, Does.Contain(message));
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM migration_runs"), Is.Zero);
    }

    [Test]
    public async Task A_start_after_the_end_exits_2_and_starts_nothing()
    {
        await using var harness = await JobsHarness.CreateAsync("gapfill_order");
        await File.WriteAllTextAsync(Path.Combine(harness.DataDir, "AAPL_5m.csv"), FileText());
        var result = await CliProcess.RunAsync(harness.Settings, "migrate", "--symbols", "AAPL", "--timeframes", "5m",
            "--start-date", "2024-03-02", "--end-date", "2024-03-01", "--yes");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
        Assert.That(result.Stderr, Does.Contain("--start-date '2024-03-02' is after --end-date '2024-03-01'"));
        Assert.That(await harness.ScalarAsync("SELECT count(*) FROM migration_runs"), Is.Zero);
    }

    private static string Day(int index) => FirstDay.AddDays(index).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// Five days of bars, plus: an exact repeat of a bar of day 2 (inside the later ranges), a bad line of day 2 with no
    /// readable time (rejected), and a bad line of day 5 whose time is readable (high below low: outside every range here).
    /// </summary>
    private static string FileText()
    {
        var text = new StringBuilder("timestamp,open,high,low,close,volume\n");
        for (var d = 0; d < Days; d++)
        {
            for (var b = 0; b < BarsPerDay; b++)
            {
                var time = FirstDay.AddDays(d).AddHours(14).AddMinutes(5 * b);
                var price = 100 + d + (b / 100.0);
                text.Append(CultureInfo.InvariantCulture, $"{time:yyyy-MM-dd HH:mm:ss}+00:00,{price},{price + 1},{price - 1},{price + 0.5},{1000 + b}\n");
                if (d == 1 && b == 3)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{time:yyyy-MM-dd HH:mm:ss}+00:00,{price},{price + 1},{price - 1},{price + 0.5},{1000 + b}\n");
                    text.Append("not a time,1,2,0.5,1.5,10\n");
                }
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"{FirstDay.AddDays(4).AddHours(23):yyyy-MM-dd HH:mm:ss}+00:00,1,0.5,2,1,10\n");
        return text.ToString();
    }
}

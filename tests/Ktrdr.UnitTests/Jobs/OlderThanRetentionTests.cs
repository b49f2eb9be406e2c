using Ktrdr.Backends;
using Ktrdr.Jobs;
using Ktrdr.Jobs.Reports;
using Npgsql;

namespace Ktrdr.Tests.Jobs;

public sealed class OlderThanRetentionTests
{
    private static readonly DateTime Cutoff = new(2016, 11, 30, 9, 0, 0, DateTimeKind.Utc);

    [Test]
    public void Bars_left_out_as_older_than_retention_are_their_own_count_in_the_accounting_identity_and_the_report()
    {
        var outcome = new ImportOutcome(100, 60, 5, 0, 3, 0, null, null) { OlderThanRetention = 32 };
        Assert.That(outcome.Balances, Is.True);
        Assert.That((outcome with { OlderThanRetention = 0 }).Balances, Is.False);

        var run = new MigrationRun { Id = 7, StartedAt = Cutoff, DataDir = "/data", ReportDir = "/r" };
        var item = new MigrationItem
        {
            Id = 1, RunId = 7, Symbol = "OLD", Timeframe = "1d", FilePath = "/data/OLD_1d.csv", State = ItemState.Succeeded, Verified = true,
            Counts = new ItemCounts { Read = 100, Inserted = 60, AlreadyPresent = 5, Rejected = 3, Conflicting = 0, OlderThanRetention = 32 }, RetentionCutoff = Cutoff,
            OlderFirstTime = new DateTime(2014, 1, 1, 0, 0, 0, DateTimeKind.Utc), OlderLastTime = new DateTime(2016, 11, 29, 0, 0, 0, DateTimeKind.Utc),
        };
        var report = MigrationReportBuilder.Build(run, [item], [], [], Cutoff.AddHours(1));
        var markdown = MigrationReportWriter.Render(report);

        Assert.That(report.Summary.OlderThanRetention, Is.EqualTo(32));
        Assert.That(markdown, Does.Contain("100 read = 60 inserted + 5 already present + 0 conflicting + 3 rejected + 32 older than retention")
            .And.Contain("## Older Than Retention (left out)")
            .And.Contain("| OLD | 1d | 32 | 2014-01-01 00:00:00 | 2016-11-29 00:00:00 | 2016-11-30 09:00:00 |"));
    }

    [Test]
    public void A_symbol_longer_than_its_column_fails_at_once_naming_the_column_and_its_length()
    {
        var symbol = new string('L', 40);
        var error = Assert.Throws<SeriesKeyTooLongException>(() =>
            SeriesKeyTooLongException.ThrowIfTooLong("/data/x_1d.csv", new SeriesKey(symbol, "1d"), 32, 8))!;

        Assert.That(ImportFailures.IsPermanent(error), Is.True);
        Assert.That(ImportFailures.Describe("/data/x_1d.csv", error, 1),
            Does.Contain($"symbol '{symbol}' is 40 characters, but price_data.symbol is varchar(32) and holds at most 32").And.Contain("permanent"));
        Assert.DoesNotThrow(() => SeriesKeyTooLongException.ThrowIfTooLong("/data/x_1d.csv", new SeriesKey(symbol, "1d"), null, null));
    }

    [Test]
    public void A_value_too_long_for_its_column_says_so_instead_of_a_bare_22001()
    {
        var error = new PostgresException("value too long for type character varying(32)", "ERROR", "ERROR", "22001");
        Assert.That(ImportFailures.Describe("/data/x_1d.csv", error, 1), Does.Contain("longer than its column allows").And.Contain("db status"));
    }
}

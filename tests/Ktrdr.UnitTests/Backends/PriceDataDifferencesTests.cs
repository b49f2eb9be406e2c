using Ktrdr.Backends.Timescale;

namespace Ktrdr.Tests.Backends;

public sealed class PriceDataDifferencesTests
{
    private static readonly TableColumn[] OwnColumns =
    [
        new("time", "timestamp with time zone", null, null, true), new("symbol", "text", null, null, true), new("timeframe", "text", null, null, true),
        new("open", "double precision", null, null, true), new("high", "double precision", null, null, true), new("low", "double precision", null, null, true),
        new("close", "double precision", null, null, true), new("volume", "double precision", null, null, true),
    ];

    private static readonly TableIndex PrimaryKey = new("price_data_pkey", true, "CREATE UNIQUE INDEX price_data_pkey ...", ["symbol", "timeframe", "time"], false);

    [Test]
    public void The_table_the_migration_creates_has_no_differences()
    {
        var own = new PriceDataShape(true, OwnColumns, [], [PrimaryKey], [new("time", "Time", TimeSpan.FromDays(90), null)], "symbol,timeframe", "time", [], [], null);
        Assert.That(PriceDataDifferences.Of(own, TimeSpan.FromDays(90)), Is.Empty);
    }

    [Test]
    public void A_platform_table_differs_in_column_lengths_extra_columns_missing_key_space_dimension_and_retention_without_blocking()
    {
        var columns = OwnColumns.Select(c => c.Name is "symbol" ? c with { Type = "character varying(32)", MaxLength = 32 } : c)
            .Append(new TableColumn("source", "character varying(32)", 32, "'ib'::character varying", false)).ToList();
        var platform = new PriceDataShape(true, columns, ["chk_volume: CHECK ((volume >= (0)::double precision))"],
            [new("idx", false, "CREATE INDEX idx ...", ["symbol", "timeframe", "time"], false)],
            [new("time", "Time", TimeSpan.FromDays(7), null), new("symbol", "Space", null, 4)], null, null, [], [],
            new RetentionPolicy(1000, "10 years", new DateTime(2016, 1, 1, 0, 0, 0, DateTimeKind.Utc), true));

        var differences = PriceDataDifferences.Of(platform, TimeSpan.FromDays(90)).Select(d => d.ToString()).ToList();

        Assert.That(differences, Has.Some.StartsWith("symbol is character varying(32), not text: a file whose symbol is longer than 32 characters fails"));
        Assert.That(differences, Has.Some.StartsWith("extra column source character varying(32): not written by the migration: imported bars get its default"));
        Assert.That(differences, Has.Some.StartsWith("CHECK constraint chk_volume"));
        Assert.That(differences, Has.Some.StartsWith("no primary key or unique index on (symbol, timeframe, time)"));
        Assert.That(differences, Has.Some.StartsWith("chunk interval 7 days"));
        Assert.That(differences, Has.Some.StartsWith("space dimension on symbol (4 partitions): handled"));
        Assert.That(differences, Has.Some.Contains("drop_after 10 years").And.Contains("--skip-older-than-retention"));
        Assert.That(PriceDataDifferences.Of(platform, TimeSpan.FromDays(90)).Any(d => d.Blocks), Is.False);
    }

    [Test]
    public void A_missing_column_or_an_extra_not_null_column_without_default_blocks_a_migration()
    {
        var columns = OwnColumns.Where(c => c.Name != "volume").Append(new TableColumn("exchange", "text", null, null, true)).ToList();
        var shape = new PriceDataShape(true, columns, [], [PrimaryKey], [], null, null, [], [], null);

        var blocking = PriceDataDifferences.Of(shape, TimeSpan.FromDays(90)).Where(d => d.Blocks).Select(d => d.What).ToList();

        Assert.That(blocking, Is.EquivalentTo(new[] { "column volume is missing", "extra column exchange text NOT NULL without a default" }));
    }
}

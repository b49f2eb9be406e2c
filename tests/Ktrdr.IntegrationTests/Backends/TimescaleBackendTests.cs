using Dapper;
using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Backends.Timescale;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Cli;
using Npgsql;

namespace Ktrdr.Tests.Backends;

public sealed class TimescaleBackendTests
{
    private static readonly SeriesKey Aapl = new("AAPL", "1d");
    private ServiceProvider _services = null!;
    private string _connectionString = "";
    private string _dataDir = "";

    private TimescaleBackend Backend => _services.GetRequiredService<TimescaleBackend>();

    [OneTimeSetUp]
    public async Task CreateDatabase()
    {
        _connectionString = await PostgresServer.CreateDatabaseAsync("backend");
        _dataDir = Directory.CreateTempSubdirectory("ktrdr-data-").FullName;
        _services = TestServices.Build(_connectionString, _dataDir);
        await _services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task Dispose()
    {
        await _services.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    [SetUp]
    public async Task Empty()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.ExecuteAsync("TRUNCATE price_data");
    }

    private static IEnumerable<Bar> Bars(int count, DateTime? from = null, double shift = 0)
    {
        var t = from ?? new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < count; i++)
        {
            var p = 100 + i * 0.1 + shift;
            yield return new Bar(t.AddDays(i), p, p + 1, p - 1, p + 0.5, 1000 + i);
        }
    }

    private async Task<List<Bar>> LoadAsync(SeriesKey key, DateTime? start = null, DateTime? end = null) =>
        await Backend.LoadAsync(key, start, end, CancellationToken.None).ToListAsync();

    [Test]
    public async Task Save_into_an_empty_series_inserts_every_bar_and_load_returns_them_in_order()
    {
        var bars = Bars(500).Reverse().ToList();
        var result = await Backend.SaveAsync(Aapl, bars.ToAsyncEnumerable(), CancellationToken.None);
        Assert.That(result, Is.EqualTo(new SaveResult(500, 0, 0, [])).Using<SaveResult>((a, b) => a.Inserted == b.Inserted && a.AlreadyPresent == b.AlreadyPresent && a.Conflicting == b.Conflicting));
        Assert.That(await LoadAsync(Aapl), Is.EqualTo(Bars(500).ToList()));
    }

    [Test]
    public async Task Import_of_the_same_bars_twice_adds_no_rows()
    {
        await Backend.SaveAsync(Aapl, Bars(300).ToAsyncEnumerable(), CancellationToken.None);
        var again = await Backend.SaveAsync(Aapl, Bars(300).ToAsyncEnumerable(), CancellationToken.None);
        Assert.That((again.Inserted, again.AlreadyPresent, again.Conflicting), Is.EqualTo((0L, 300L, 0L)));
        Assert.That(await LoadAsync(Aapl), Has.Count.EqualTo(300));
    }

    [Test]
    public async Task Changed_values_are_counted_as_conflicts_and_never_overwrite_stored_bars()
    {
        await Backend.SaveAsync(Aapl, Bars(100).ToAsyncEnumerable(), CancellationToken.None);
        var incoming = Bars(100).Select((b, i) => i < 3 ? b with { Close = b.Close + 0.25 } : b).Concat(Bars(10, new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        var result = await Backend.SaveAsync(Aapl, incoming.ToAsyncEnumerable(), CancellationToken.None);
        Assert.That((result.Inserted, result.AlreadyPresent, result.Conflicting), Is.EqualTo((10L, 97L, 3L)));
        Assert.That(result.FirstConflicts.Select(b => b.Time), Is.EqualTo(Bars(3).Select(b => b.Time)));
        Assert.That((await LoadAsync(Aapl)).Take(100), Is.EqualTo(Bars(100).ToList()));
    }

    [Test]
    public async Task A_timestamp_repeated_later_in_the_input_is_merged_not_failed()
    {
        var bars = Bars(50).ToList();
        bars.Add(bars[10]);
        bars.Add(bars[20] with { Volume = 1 });
        var result = await Backend.SaveAsync(Aapl, bars.ToAsyncEnumerable(), CancellationToken.None);
        Assert.That((result.Inserted, result.AlreadyPresent, result.Conflicting), Is.EqualTo((50L, 1L, 1L)));
        Assert.That(await LoadAsync(Aapl), Is.EqualTo(Bars(50).ToList()));
    }

    [Test]
    public async Task A_range_load_returns_only_bars_in_start_inclusive_end_exclusive()
    {
        await Backend.SaveAsync(Aapl, Bars(30).ToAsyncEnumerable(), CancellationToken.None);
        var start = new DateTime(2024, 1, 5, 0, 0, 0, DateTimeKind.Utc);
        var range = await LoadAsync(Aapl, start, start.AddDays(3));
        Assert.That(range.Select(b => b.Time), Is.EqualTo(new[] { start, start.AddDays(1), start.AddDays(2) }));
    }

    [Test]
    public async Task Symbols_and_date_ranges_are_listed_per_timeframe()
    {
        await Backend.SaveAsync(Aapl, Bars(5).ToAsyncEnumerable(), CancellationToken.None);
        await Backend.SaveAsync(new SeriesKey("MSFT", "1h"), Bars(7).ToAsyncEnumerable(), CancellationToken.None);
        await Backend.SaveAsync(new SeriesKey("EURUSD", "1d"), Bars(2).ToAsyncEnumerable(), CancellationToken.None);
        Assert.That(await Backend.ListSymbolsAsync(null, CancellationToken.None), Is.EqualTo(new[] { "AAPL", "EURUSD", "MSFT" }));
        Assert.That(await Backend.ListSymbolsAsync("1d", CancellationToken.None), Is.EqualTo(new[] { "AAPL", "EURUSD" }));
        var range = await Backend.GetDateRangeAsync(new SeriesKey("MSFT", "1h"), CancellationToken.None);
        Assert.That(range, Is.EqualTo(new DateRange(Bars(7).First().Time, Bars(7).Last().Time, 7)));
        Assert.That(await Backend.GetDateRangeAsync(new SeriesKey("NONE", "1d"), CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task A_hostile_symbol_is_stored_and_read_back_as_data()
    {
        var hostile = new SeriesKey("X'); DROP TABLE price_data;--", "1d");
        await Backend.SaveAsync(hostile, Bars(3).ToAsyncEnumerable(), CancellationToken.None);
        Assert.That(await LoadAsync(hostile), Has.Count.EqualTo(3));
        Assert.That(await Backend.ListSymbolsAsync(null, CancellationToken.None), Does.Contain(hostile.Symbol));
    }

    [Test]
    public async Task Csv_to_database_to_csv_round_trip_keeps_every_double_bit_for_bit()
    {
        double[] awkward = [0.1 + 0.2, 1e-300, 123456.78901234567, 5e-324, 1.7976931348623157e308, 2265000.0, 0];
        var t = new DateTime(2020, 1, 1, 9, 30, 0, DateTimeKind.Utc);
        var bars = awkward.Select((v, i) => new Bar(t.AddMinutes(5 * i), v, v, v, v, Math.Abs(v))).ToList();
        var source = Path.Combine(_dataDir, "RT_5m.csv");
        await CsvBarWriter.WriteAsync(source, bars.ToAsyncEnumerable(), CancellationToken.None);
        var csv = _services.GetRequiredService<CsvBackend>();
        var key = new SeriesKey("RT", "5m");
        await Backend.SaveAsync(key, csv.LoadAsync(key, null, null, CancellationToken.None), CancellationToken.None);

        var exported = Path.Combine(_dataDir, "export", "RT_5m.csv");
        await CsvBarWriter.WriteAsync(exported, Backend.LoadAsync(key, null, null, CancellationToken.None), CancellationToken.None);
        using var file = CsvBarFile.Open(exported);
        var back = await file.ReadAsync(CancellationToken.None).Select(r => r.Bar).ToListAsync();
        Assert.That(back.Select(b => BitConverter.DoubleToInt64Bits(b.Open)), Is.EqualTo(bars.Select(b => BitConverter.DoubleToInt64Bits(b.Open))));
        Assert.That(back, Is.EqualTo(bars));
        Assert.That(await File.ReadAllTextAsync(exported), Is.EqualTo(await File.ReadAllTextAsync(source)));
    }

    [Test]
    public async Task Schema_migration_is_idempotent()
    {
        var again = await _services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        Assert.That(again, Is.Empty);
        Assert.That(await _services.GetRequiredService<SchemaMigrator>().PendingAsync(CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task On_plain_postgresql_status_reports_a_plain_table()
    {
        var status = await _services.GetRequiredService<TimescaleFeatures>().GetStatusAsync(CancellationToken.None);
        Assert.That(status.ServerVersion, Is.Not.Empty);
        if (!status.TimescaleAvailable)
        {
            Assert.That(StatusText.Mode(status), Is.EqualTo("postgresql"));
            Assert.That(status.TimescaleVersion, Is.Null);
        }
        else
        {
            Assert.That(StatusText.Mode(status), Is.EqualTo("timescaledb"));
        }
    }
}

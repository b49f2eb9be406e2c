using Dapper;
using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Cli;
using Npgsql;

namespace Ktrdr.Tests.Backends;

/// <summary>TimescaleDB-specific SQL on a real TimescaleDB engine (the native extension, in a database of the test server).</summary>
[NonParallelizable] // TimescaleDB's schedulers (CompressionPolicy stops those of the other databases)
public sealed class TimescaleFeaturesTests
{
    private ServiceProvider _services = null!;
    private string _connectionString = "";
    private string _dataDir = "";

    [OneTimeSetUp]
    public async Task MigrateAsync()
    {
        _connectionString = await TimescaleDatabase.CreateAsync("tsdb");
        _dataDir = Directory.CreateTempSubdirectory("ktrdr-tsdb-").FullName;
        _services = TestServices.Build(_connectionString, _dataDir, new Dictionary<string, string?>
        {
            ["TSDB_CHUNK_INTERVAL"] = "14.00:00:00",
            ["TSDB_COMPRESS_AFTER"] = "60.00:00:00",
        });
        await _services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Test]
    public async Task Migrate_makes_price_data_a_compressed_hypertable_with_a_policy_and_status_says_so()
    {
        var status = await _services.GetRequiredService<TimescaleFeatures>().GetStatusAsync(CancellationToken.None);
        Assert.That(StatusText.Mode(status), Is.EqualTo("timescaledb"));
        Assert.That(status.TimescaleVersion, Does.StartWith("2."));
        Assert.That((status.IsHypertable, status.CompressionEnabled, status.CompressionPolicy), Is.EqualTo((true, true, true)));
    }

    [Test]
    public async Task Compression_segments_by_symbol_and_timeframe_and_orders_by_time_with_the_configured_intervals()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        var settings = (await connection.QueryAsync<(string Attname, short? Segmentby, short? Orderby)>(
            "SELECT attname, segmentby_column_index, orderby_column_index FROM timescaledb_information.compression_settings WHERE hypertable_name = 'price_data'")).ToList();
        Assert.That(settings.Where(s => s.Segmentby is not null).Select(s => s.Attname), Is.EquivalentTo(new[] { "symbol", "timeframe" }));
        Assert.That(settings.Where(s => s.Orderby is not null).Select(s => s.Attname), Is.EqualTo(new[] { "time" }));
        var chunk = await connection.ExecuteScalarAsync<TimeSpan>(
            "SELECT time_interval FROM timescaledb_information.dimensions WHERE hypertable_name = 'price_data' AND column_name = 'time'");
        Assert.That(chunk, Is.EqualTo(TimeSpan.FromDays(14)));
        var after = await connection.ExecuteScalarAsync<bool>(
            "SELECT (config->>'compress_after')::interval = interval '60 days' FROM timescaledb_information.jobs WHERE hypertable_name = 'price_data' AND proc_name = 'policy_compression'");
        Assert.That(after, Is.True, "compress_after is TSDB_COMPRESS_AFTER");
    }

    [Test]
    public async Task Migrating_again_changes_nothing()
    {
        Assert.That(await _services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None), Is.Empty);
        var status = await _services.GetRequiredService<TimescaleFeatures>().GetStatusAsync(CancellationToken.None);
        Assert.That(status.CompressionPolicy, Is.True);
    }

    [Test]
    public async Task Bars_in_compressed_chunks_load_in_order_and_list_by_series()
    {
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.ExecuteAsync("""
                DELETE FROM price_data;
                INSERT INTO price_data (time, symbol, timeframe, open, high, low, close, volume)
                SELECT t, s, '1d', 1.5, 2.25, 1.0, 2.0, 100
                FROM generate_series(timestamptz '2023-01-01', timestamptz '2023-06-30', interval '1 day') t, unnest(ARRAY['AAPL','MSFT']) s;
                SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('price_data', older_than => timestamptz '2023-04-01') c;
                """);
            Assert.That(await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM timescaledb_information.chunks WHERE hypertable_name = 'price_data' AND is_compressed"), Is.GreaterThan(0));
        }

        var backend = _services.GetRequiredService<TimescaleBackend>();
        var key = new SeriesKey("AAPL", "1d");
        var bars = await backend.LoadAsync(key, null, null, CancellationToken.None).ToListAsync();
        Assert.That(bars, Has.Count.EqualTo(181));
        Assert.That(bars.Select(b => b.Time), Is.Ordered);
        Assert.That(bars[0], Is.EqualTo(new Bar(new DateTime(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc), 1.5, 2.25, 1.0, 2.0, 100)));
        Assert.That(await backend.ListSymbolsAsync("1d", CancellationToken.None), Is.EqualTo(new[] { "AAPL", "MSFT" }));
        var march = await backend.LoadAsync(key, new DateTime(2023, 3, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2023, 4, 1, 0, 0, 0, DateTimeKind.Utc), CancellationToken.None).ToListAsync();
        Assert.That(march, Has.Count.EqualTo(31));
        Assert.That((await backend.GetDateRangeAsync(key, CancellationToken.None))!.Count, Is.EqualTo(181));
    }

    [Test]
    public async Task Saving_into_the_hypertable_is_idempotent_and_never_overwrites()
    {
        var backend = _services.GetRequiredService<TimescaleBackend>();
        var key = new SeriesKey("TSDB", "5m");
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var bars = Enumerable.Range(0, 2000).Select(i => new Bar(start.AddMinutes(5 * i), 10 + i, 11 + i, 9 + i, 10.5 + i, i)).ToList();

        var first = await backend.SaveAsync(key, bars.ToAsyncEnumerable(), CancellationToken.None);
        var changed = bars.Select((b, i) => i == 7 ? b with { Close = b.Close + 0.25 } : b).ToList();
        var second = await backend.SaveAsync(key, changed.ToAsyncEnumerable(), CancellationToken.None);

        Assert.That((first.Inserted, first.AlreadyPresent, first.Conflicting), Is.EqualTo((2000L, 0L, 0L)));
        Assert.That((second.Inserted, second.AlreadyPresent, second.Conflicting), Is.EqualTo((0L, 1999L, 1L)));
        Assert.That(await backend.LoadAsync(key, null, null, CancellationToken.None).ToListAsync(), Is.EqualTo(bars));
    }
}

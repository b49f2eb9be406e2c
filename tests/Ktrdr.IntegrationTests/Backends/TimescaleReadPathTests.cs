using Dapper;
using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;
using Ktrdr.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ktrdr.Tests.Backends;

/// <summary>How bars travel: the plan of a range read, and the binary COPY encoding of what is written.</summary>
[NonParallelizable] // TimescaleDB's schedulers (CompressionPolicy stops those of the other databases)
public sealed class TimescaleReadPathTests
{
    // Recent bars: the compression policy (compress after 30 days) runs in the background as soon as the schema is
    // made, and this fixture is about reads of uncompressed chunks (compressed ones: CompressionPolicyTests).
    private static readonly DateTime Start = DateTime.UtcNow.Date.AddDays(-7);
    private TestDatabase _db = null!;

    private TimescaleBackend Backend => _db.Backend;

    [OneTimeSetUp]
    public async Task CreateDatabase() => _db = await TestDatabase.CreateAsync("readpath");

    [OneTimeTearDown]
    public async Task Dispose() => await _db.DisposeAsync();

    [Test]
    public async Task A_range_read_is_an_ordered_primary_key_index_scan_of_each_chunk_without_a_sort()
    {
        // Two series written at the same time interleave the table's pages, as parallel imports do: the planner's
        // default costs then prefer a bitmap scan and a sort for a long range of one series.
        var a = new SeriesKey("PLA", "5m");
        var b = new SeriesKey("PLB", "5m");
        var bars = Enumerable.Range(0, 60_000).Select(i => new Bar(Start.AddMinutes(5 * i), 10, 11, 9, 10.5, i)).ToList();
        await Task.WhenAll(Backend.SaveAsync(a, bars.ToAsyncEnumerable(), CancellationToken.None),
            Backend.SaveAsync(b, bars.ToAsyncEnumerable(), CancellationToken.None));
        await using (var connection = new NpgsqlConnection(_db.ConnectionString))
        {
            await connection.ExecuteAsync("ANALYZE price_data");
        }

        var plans = await PlansOfAsync(backend => backend.LoadAsync(a, Start.AddDays(30), Start.AddDays(150), CancellationToken.None).CountAsync().AsTask());

        var plan = plans.Single(p => p.Contains("FROM price_data", StringComparison.Ordinal));
        Assert.That(plan, Does.Contain("ChunkAppend"), "price_data is a hypertable here");
        Assert.That(plan, Does.Match("Index Scan using \"?[0-9]*_?[0-9]*_?price_data_pkey"));
        Assert.That(plan, Does.Not.Contain("Sort"));
        Assert.That(plan, Does.Not.Contain("Bitmap"));
    }

    [Test]
    public async Task Times_are_stored_to_the_microsecond_including_the_extremes_which_are_never_infinity()
    {
        var key = new SeriesKey("ENC", "1m");
        DateTime[] times =
        [
            DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc),
            new DateTime(1969, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(5),
            new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_985),
            new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            new DateTime(2024, 2, 29, 9, 30, 0, DateTimeKind.Utc).AddTicks(15),
            DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc),
        ];
        var bars = times.Select((t, i) => new Bar(t, i, i + 1, i - 1, -0.0, double.Epsilon)).ToList();
        await Backend.SaveAsync(key, bars.ToAsyncEnumerable(), CancellationToken.None);

        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync("CREATE TEMP TABLE expected (time timestamptz, close float8, volume float8)");
        foreach (var bar in bars)
        {
            // As text, truncated toward zero to the microsecond: the instant itself, never Npgsql's ±infinity for
            // DateTime.MinValue/MaxValue, which a hypertable's time column cannot hold.
            var micros = (bar.Time.Ticks - new DateTime(2000, 1, 1).Ticks) / 10;
            var text = new DateTime(2000, 1, 1).AddTicks(micros * 10).ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);
            await connection.ExecuteAsync("INSERT INTO expected VALUES (@text::timestamp AT TIME ZONE 'UTC', @Close, @Volume)", new { text, bar.Close, bar.Volume });
        }

        var mismatches = await connection.QueryAsync<string>("""
            SELECT e.time::text FROM expected e
            LEFT JOIN price_data p ON p.symbol = 'ENC' AND p.timeframe = '1m' AND p.time = e.time
                AND float8send(p.close) = float8send(e.close) AND float8send(p.volume) = float8send(e.volume)
            WHERE p.time IS NULL
            """);
        Assert.That(mismatches, Is.Empty);
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM price_data WHERE symbol = 'ENC'"), Is.EqualTo(times.Length));
    }

    /// <summary>Runs <paramref name="read"/> on a backend whose connections have auto_explain send every plan back as a notice.</summary>
    private async Task<IReadOnlyList<string>> PlansOfAsync(Func<TimescaleBackend, Task> read)
    {
        var builder = new NpgsqlDataSourceBuilder(_db.ConnectionString);
        builder.ConnectionStringBuilder.Options = "-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0 -c auto_explain.log_level=notice";
        var plans = new List<string>();
        using var loggerFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(new NoticeCollector(plans)));
        builder.UseLoggerFactory(loggerFactory);
        await using var dataSource = builder.Build();
        await read(new TimescaleBackend(dataSource));
        lock (plans)
        {
            return [.. plans];
        }
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs.Derived;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Cli;
using Npgsql;

namespace Ktrdr.Tests.Backends;

/// <summary>
/// Derived timeframes (1m -> 1h, 1m -> 1d) on the native TimescaleDB engine (continuous aggregates) and on plain
/// PostgreSQL (TSDB_ENABLED=false: aggregated at read time): the same bars, served like stored ones, said to be derived,
/// a stored series winning, and checked by verify against an aggregation recomputed in C#.
/// </summary>
[TestFixture("timescaledb")]
[TestFixture("plain")]
[NonParallelizable] // Hangfire in this process (ServeCommand.Build serves the derived bars)
public sealed class DerivedTimeframesTests(string mode)
{
    // Recent bars: the compression policy (30 days) leaves them uncompressed.
    private static readonly DateTime FirstHour = DateTime.UtcNow.Date.AddDays(-9);
    private readonly Dictionary<string, List<Bar>> _minutes = [];
    private string _database = "";
    private string _dataDir = "";
    private ServiceProvider _services = null!;

    private bool Timescale => mode == "timescaledb";

    private DataRepository Repository => _services.GetRequiredService<DataRepository>();

    private Dictionary<string, string?> Settings => new()
    {
        ["DB_TYPE"] = "postgresql",
        ["DB_CONNECTION_STRING"] = _database,
        ["DATA_DIR"] = _dataDir,
        ["KTRDR_LOG_LEVEL"] = "Warning",
        ["TSDB_ENABLED"] = Timescale ? "true" : "false",
        ["KTRDR_DERIVED_TIMEFRAMES"] = "1m:1h,1m:1d",
    };

    [OneTimeSetUp]
    public async Task StoreMinuteBars()
    {
        _database = Timescale ? await TimescaleDatabase.CreateAsync("derived") : await PostgresServer.CreateDatabaseAsync("derivedpg");
        _dataDir = Directory.CreateTempSubdirectory("ktrdr-derived-").FullName;
        _services = TestServices.Build(_database, _dataDir, Settings);
        await _services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        var backend = _services.GetRequiredService<TimescaleBackend>();
        var seed = 1;
        foreach (var symbol in new[] { "AAPL", "MSFT", "TAMP", "SRC" })
        {
            _minutes[symbol] = MinuteBars.Generate(FirstHour, 3 * 1440, seed++);
            await backend.SaveAsync(new SeriesKey(symbol, "1m"), _minutes[symbol].ToAsyncEnumerable(), CancellationToken.None);
        }

        // The vendor's own 1h bars of MSFT: the aggregation with two bars left out and three highs higher.
        var vendor = MinuteBars.Aggregate(_minutes["MSFT"], TimeSpan.FromHours(1));
        vendor.RemoveAt(10);
        vendor.RemoveAt(20);
        for (var i = 30; i < 33; i++)
        {
            vendor[i] = vendor[i] with { High = vendor[i].High + 0.5 };
        }

        await backend.SaveAsync(new SeriesKey("MSFT", "1h"), vendor.ToAsyncEnumerable(), CancellationToken.None);

        // db migrate again, as the refresh policy would: the aggregates materialize the bars imported since.
        await _services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task Cleanup()
    {
        await _services.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Test]
    public async Task Derived_1h_and_1d_from_1m_equal_an_independent_aggregation_value_for_value()
    {
        foreach (var (timeframe, width) in new[] { ("1h", TimeSpan.FromHours(1)), ("1d", TimeSpan.FromDays(1)) })
        {
            var key = new SeriesKey("AAPL", timeframe);
            var expected = MinuteBars.Aggregate(_minutes["AAPL"], width);
            var served = await Repository.LoadAsync(key, null, null, CancellationToken.None).ToListAsync();
            Assert.That(served, Is.EqualTo(expected), $"{key} ({mode})");
            Assert.That(served.Any(b => b.Volume < 0), Is.True, "an hour with a 'no volume' bar is -1");
            Assert.That(await Repository.GetDateRangeAsync(key, CancellationToken.None),
                Is.EqualTo(new DateRange(expected[0].Time, expected[^1].Time, expected.Count)));
        }

        // A range starting and ending inside buckets: the buckets that start within it.
        var from = FirstHour.AddHours(5).AddMinutes(30);
        var to = FirstHour.AddHours(20).AddMinutes(1);
        var range = await Repository.LoadAsync(new SeriesKey("AAPL", "1h"), from, to, CancellationToken.None).ToListAsync();
        Assert.That(range, Is.EqualTo(MinuteBars.Aggregate(_minutes["AAPL"], TimeSpan.FromHours(1)).Where(b => b.Time >= from && b.Time < to)));
        Assert.That(range[0].Time, Is.EqualTo(FirstHour.AddHours(6)));

        var origin = await Repository.OriginAsync(new SeriesKey("AAPL", "1h"), CancellationToken.None);
        Assert.That(origin.ToString(), Is.EqualTo(Timescale ? "derived from 1m (continuous aggregate)" : "derived from 1m (aggregated at read time)"));
    }

    [Test]
    public async Task A_stored_series_of_the_timeframe_wins_over_the_derived_one()
    {
        var key = new SeriesKey("MSFT", "1h");
        var served = await Repository.LoadAsync(key, null, null, CancellationToken.None).ToListAsync();
        Assert.That(served, Has.Count.EqualTo(MinuteBars.Aggregate(_minutes["MSFT"], TimeSpan.FromHours(1)).Count - 2), "the vendor's bars");
        Assert.That(await Repository.OriginAsync(key, CancellationToken.None), Is.EqualTo(SeriesOrigin.Stored));
        Assert.That(await Repository.ListSymbolsAsync("1h", CancellationToken.None), Is.EqualTo(new[] { "AAPL", "MSFT", "SRC", "TAMP" }));
        Assert.That(await Repository.ListSymbolsAsync("5m", CancellationToken.None), Is.Empty, "5m is not configured");
        Assert.That(await Repository.LoadAsync(new SeriesKey("AAPL", "5m"), null, null, CancellationToken.None).AnyAsync(), Is.False);
    }

    [Test]
    public async Task Migrate_of_older_minute_bars_refreshes_the_aggregates_so_their_derived_bars_are_served_at_once()
    {
        // 2020 bars: far below the watermark of aggregates that have materialized this fixture's recent bars, so
        // without a refresh the continuous aggregate would not serve them until its policy runs.
        await new Ktrdr.Worker.Demo.SampleDataWriter().WriteAsync(_dataDir, "MIG", "1m", 3000, withBadLines: false, CancellationToken.None);
        var settings = Settings;
        settings["KTRDR_REPORT_DIR"] = Path.Combine(_dataDir, "report");
        var migrate = await CliProcess.RunAsync(settings, "migrate", "--yes", "--symbols", "MIG");
        Assert.That(migrate.ExitCode, Is.Zero, migrate.Stdout + migrate.Stderr);
        Assert.That(migrate.Stdout, Timescale
            ? Does.Contain("derived timeframes refreshed: price_data_1m_1h, price_data_1m_1d")
            : Does.Not.Contain("derived timeframes"));

        var minutes = await Repository.LoadAsync(new SeriesKey("MIG", "1m"), null, null, CancellationToken.None).ToListAsync();
        Assert.That(minutes, Has.Count.EqualTo(3000));
        var served = await Repository.LoadAsync(new SeriesKey("MIG", "1h"), null, null, CancellationToken.None).ToListAsync();
        Assert.That(served, Is.EqualTo(MinuteBars.Aggregate(minutes, TimeSpan.FromHours(1))));
    }

    [Test]
    public async Task A_bad_KTRDR_DERIVED_TIMEFRAMES_stops_with_exit_code_2_naming_it()
    {
        var settings = Settings;
        settings["KTRDR_DERIVED_TIMEFRAMES"] = "1m:1h,1h:1M";
        var result = await CliProcess.RunAsync(settings, "data", "load", "AAPL", "1h");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
        Assert.That(result.Stderr, Does.Contain("KTRDR_DERIVED_TIMEFRAMES: '1h:1M'").And.Contain("no months"));
    }

    [Test]
    public async Task Verify_of_a_csv_series_never_stored_says_missing_even_where_the_derived_bars_equal_it()
    {
        // The vendor's AAPL 1h file holds exactly the aggregation of AAPL's 1m bars, and none of it was imported: the
        // proof that every row arrived must not be satisfied by bars derived from another timeframe.
        var files = Directory.CreateTempSubdirectory("ktrdr-derived-csv-").FullName;
        try
        {
            var hours = MinuteBars.Aggregate(_minutes["AAPL"], TimeSpan.FromHours(1));
            await Ktrdr.Backends.Csv.CsvBarWriter.WriteAsync(Path.Combine(files, "AAPL_1h.csv"), hours.ToAsyncEnumerable(), CancellationToken.None);
            var verify = await CliProcess.RunAsync(Settings, "verify", "--data-dir", files, "--symbols", "AAPL", "--timeframes", "1h");
            Assert.That(verify.ExitCode, Is.EqualTo(1), verify.Stdout + verify.Stderr);
            Assert.That(verify.Stdout, Does.Contain("MISSING in db"));
            Assert.That(verify.Stdout, Does.Match(@"AAPL\s+1h\s+1m\s+[0-9,]+\s+[0-9,]+\s+0\s+0\s+0\s+ok"), "the derived series itself checks out");
        }
        finally
        {
            Directory.Delete(files, recursive: true);
        }
    }

    [Test]
    public async Task The_cli_and_the_api_say_a_series_is_derived_and_from_what()
    {
        var load = await CliProcess.RunAsync(Settings, "data", "load", "AAPL", "1h");
        Assert.That(load.ExitCode, Is.Zero, load.Stderr);
        Assert.That(load.Stdout, Does.StartWith("AAPL 1h: derived from 1m (").And.Contain($"AAPL 1h: {MinuteBars.Aggregate(_minutes["AAPL"], TimeSpan.FromHours(1)).Count} bars from"));
        var stored = await CliProcess.RunAsync(Settings, "data", "show", "MSFT", "1h", "--tail", "2");
        Assert.That(stored.ExitCode, Is.Zero, stored.Stderr);
        Assert.That(stored.Stdout, Does.Not.Contain("derived"));
        Assert.That(stored.Stderr, Does.Contain("series: stored"));

        var status = await CliProcess.RunAsync(Settings, "db", "status");
        Assert.That(status.Stdout, Does.Contain(Timescale
            ? "derived timeframe 1m -> 1h: continuous aggregate price_data_1m_1h (real-time on, refresh policy every 00:10:00, last run"
            : "derived timeframes (aggregated at read time, plain table): 1m -> 1h, 1m -> 1d"), status.Stdout + status.Stderr);

        var serve = Settings;
        serve["KTRDR_WORKERS"] = "1";
        var app = ServeCommand.Build("http://127.0.0.1:0", serve);
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First() + "/") };
            using var derived = await http.GetAsync(new Uri("api/v1/data/AAPL/1h", UriKind.Relative));
            Assert.That(derived.Headers.GetValues("X-Ktrdr-Series").Single(), Does.StartWith("derived from 1m ("));
            using var json = JsonDocument.Parse(await derived.Content.ReadAsStringAsync());
            Assert.That(json.RootElement.GetProperty("derived_from").GetString(), Is.EqualTo("1m"));
            Assert.That(json.RootElement.GetProperty("count").GetInt64(), Is.EqualTo(MinuteBars.Aggregate(_minutes["AAPL"], TimeSpan.FromHours(1)).Count));

            using var vendor = await http.GetAsync(new Uri("api/v1/data/MSFT/1h", UriKind.Relative));
            Assert.That(vendor.Headers.GetValues("X-Ktrdr-Series").Single(), Is.EqualTo("stored"));
            var body = await vendor.Content.ReadFromJsonAsync<JsonElement>();
            Assert.That(body.GetProperty("derived_from").ValueKind, Is.EqualTo(JsonValueKind.Null));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Test]
    public async Task Data_compare_reports_bars_only_in_one_side_and_the_differences_per_field()
    {
        var compare = await CliProcess.RunAsync(Settings, "data", "compare", "MSFT", "1h");
        Assert.That(compare.ExitCode, Is.Zero, compare.Stdout + compare.Stderr);
        Assert.That(compare.Stdout, Does.Contain("MSFT 1h: stored against derived from 1m"));
        Assert.That(compare.Stdout, Does.Contain("only stored: 0; only derived: 2; differing: 3"));
        Assert.That(compare.Stdout, Does.Match(@"high\s+0\.5\s"));
        Assert.That(compare.Stdout, Does.Match(@"open\s+0\s+0\s"));

        var none = await CliProcess.RunAsync(Settings, "data", "compare", "AAPL", "1h");
        Assert.That(none.ExitCode, Is.EqualTo(1));
        Assert.That(none.Stderr, Does.Contain("no stored bars of AAPL 1h"));
    }

    [Test]
    public async Task Verify_checks_each_derived_bar_and_catches_source_bars_changed_without_a_refresh()
    {
        var verifier = new DerivedVerifier(_services.GetRequiredService<IStoredSeriesReader>(), _services.GetRequiredService<IDerivedBarReader>());
        var hour = new Derivation("1m", "1h", TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
        var before = await verifier.CheckAsync("SRC", hour, CancellationToken.None);
        Assert.That(before.Matches, Is.True, before.Summary);
        Assert.That(before.Served, Is.EqualTo(MinuteBars.Aggregate(_minutes["SRC"], TimeSpan.FromHours(1)).Count));

        // A source bar changed after the aggregate was materialized, and one backfilled into an hour that had none.
        var changed = _minutes["SRC"][100];
        await using (var connection = new NpgsqlConnection(_database))
        {
            await connection.ExecuteAsync("UPDATE price_data SET high = high + 7 WHERE symbol = 'SRC' AND timeframe = '1m' AND time = @Time", new { changed.Time });
            await connection.ExecuteAsync("INSERT INTO price_data VALUES (@t, 'SRC', '1m', 1, 2, 0.5, 1.5, 10)", new { t = FirstHour.AddDays(-2) });
        }

        var after = await verifier.CheckAsync("SRC", hour, CancellationToken.None);
        if (Timescale)
        {
            // The materialized buckets are stale until a refresh: exactly what verify is there to see.
            Assert.That((after.Differing, after.Missing, after.Extra), Is.EqualTo((1L, 1L, 0L)), after.Summary);
            Assert.That(after.FirstDifferences[0], Does.Contain(FirstHour.AddDays(-2).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)).And.Contain("missing"));
            Assert.That(after.FirstDifferences[1], Does.Contain(hour.Floor(changed.Time).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)));
            var verify = await CliProcess.RunAsync(Settings, "verify", "--symbols", "SRC");
            Assert.That(verify.ExitCode, Is.EqualTo(1), verify.Stdout + verify.Stderr);
            Assert.That(verify.Stdout, Does.Contain("SRC 1h from 1m: 1 missing, 0 extra, 1 differing").And.Contain("derived series differ"));

            await _services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None); // refreshes
        }

        var refreshed = await verifier.CheckAsync("SRC", hour, CancellationToken.None);
        Assert.That(refreshed.Matches, Is.True, refreshed.Summary);
        Assert.That(refreshed.Expected, Is.EqualTo(before.Expected + 1));
    }

    [Test]
    public async Task Verify_catches_a_tampered_materialized_bar_and_plain_postgresql_has_none_to_tamper()
    {
        var verifier = new DerivedVerifier(_services.GetRequiredService<IStoredSeriesReader>(), _services.GetRequiredService<IDerivedBarReader>());
        var hour = new Derivation("1m", "1h", TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
        await using var connection = new NpgsqlConnection(_database);
        var table = await connection.ExecuteScalarAsync<string?>(Timescale
            ? "SELECT format('%I.%I', materialization_hypertable_schema, materialization_hypertable_name) FROM timescaledb_information.continuous_aggregates WHERE view_name = 'price_data_1m_1h'"
            : "SELECT to_regclass('price_data_1m_1h')::text");
        if (!Timescale)
        {
            Assert.That(table, Is.Null, "plain PostgreSQL: no aggregate, the bars are aggregated at read time");
            Assert.That((await verifier.VerifyAsync([], [], CancellationToken.None)).All(c => c.Matches), Is.True);
            return;
        }

        Assert.That(table, Is.Not.Null);
        var bucket = MinuteBars.Aggregate(_minutes["TAMP"], TimeSpan.FromHours(1))[40].Time;
        var updated = await connection.ExecuteAsync($"UPDATE {table} SET close = close + 0.01 WHERE symbol = 'TAMP' AND time = @bucket", new { bucket });
        Assert.That(updated, Is.EqualTo(1));

        var check = await verifier.CheckAsync("TAMP", hour, CancellationToken.None);
        Assert.That((check.Differing, check.Missing, check.Extra), Is.EqualTo((1L, 0L, 0L)), check.Summary);
        Assert.That(check.FirstDifferences.Single(), Does.StartWith(bucket.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " served"));

        await connection.ExecuteAsync("CALL refresh_continuous_aggregate('price_data_1m_1h', NULL, NULL, force => true)");
        Assert.That((await verifier.CheckAsync("TAMP", hour, CancellationToken.None)).Matches, Is.True);
    }
}

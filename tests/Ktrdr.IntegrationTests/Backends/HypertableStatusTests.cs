using Dapper;
using Ktrdr.Backends.Timescale;
using Ktrdr.Tests.Infrastructure;
using Npgsql;

namespace Ktrdr.Tests.Backends;

/// <summary><c>db status</c> on a real hypertable with compressed and uncompressed chunks: interval, chunks, rows, sizes, ratio.</summary>
public sealed class HypertableStatusTests
{
    // The policy would compress every chunk of 2024 in the background as soon as it starts: keep it off these chunks.
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["TSDB_CHUNK_INTERVAL"] = "30.00:00:00",
        ["TSDB_COMPRESS_AFTER"] = "36500.00:00:00",
    };

    private string _database = "";
    private string _dataDir = "";

    [OneTimeSetUp]
    public async Task MigrateAndCompress()
    {
        _database = await TimescaleDatabase.CreateAsync("tsstatus");
        _dataDir = Directory.CreateTempSubdirectory("ktrdr-tsstatus-").FullName;
        await using (var services = TestServices.Build(_database, _dataDir, Settings))
        {
            await services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        }

        // A year of hourly bars for two series (17,522 rows, 13 chunks of 30 days); the first half compressed.
        await using var connection = new NpgsqlConnection(_database);
        await connection.ExecuteAsync("""
            INSERT INTO price_data (time, symbol, timeframe, open, high, low, close, volume)
            SELECT t, s, '1h', 1.5, 2.25, 1.0, 2.0, 100
            FROM generate_series(timestamptz '2024-01-01', timestamptz '2024-12-31', interval '1 hour') t, unnest(ARRAY['AAPL','MSFT']) s;
            SELECT count(compress_chunk(c)) FROM show_chunks('price_data', older_than => timestamptz '2024-07-01') c;
            ANALYZE price_data;
            """);
    }

    [OneTimeTearDown]
    public void DeleteDataDir() => Directory.Delete(_dataDir, recursive: true);

    [Test]
    public async Task Status_reports_the_chunk_interval_chunks_compressed_or_not_rows_and_sizes_as_the_catalogue_has_them()
    {
        await using var services = TestServices.Build(_database, _dataDir, Settings);
        var shape = (await services.GetRequiredService<TimescaleFeatures>().GetStatusAsync(CancellationToken.None)).Shape;

        await using var connection = new NpgsqlConnection(_database);
        var chunks = await connection.QuerySingleAsync<(long All, long Compressed)>(
            "SELECT count(*), count(*) FILTER (WHERE is_compressed) FROM timescaledb_information.chunks WHERE hypertable_name = 'price_data'");
        var bytes = await connection.QuerySingleAsync<(long Before, long After)>(
            "SELECT before_compression_total_bytes, after_compression_total_bytes FROM hypertable_compression_stats('price_data')");
        Assert.That(shape, Is.Not.Null);
        Assert.That(shape!.ChunkInterval, Is.EqualTo(TimeSpan.FromDays(30)));
        Assert.That((shape.Chunks, shape.CompressedChunks), Is.EqualTo(chunks));
        Assert.That(chunks.Compressed, Is.GreaterThan(0).And.LessThan(chunks.All), "some chunks compressed, some not");
        Assert.That(shape.ApproximateRows, Is.InRange(17_522 * 9 / 10, 17_522 * 11 / 10), "the planner's estimate, compressed chunks included");
        Assert.That(shape.ApproximateRowsPerChunk, Is.EqualTo(shape.ApproximateRows / chunks.All));
        Assert.That((shape.BytesBeforeCompression, shape.BytesAfterCompression), Is.EqualTo(bytes));
        Assert.That(shape.CompressionRatio, Is.GreaterThan(1.0));
    }

    [Test]
    public async Task Db_status_prints_the_shape_of_the_hypertable()
    {
        var result = await CliProcess.RunAsync(new Dictionary<string, string?>
        {
            ["DB_TYPE"] = "postgresql",
            ["DB_CONNECTION_STRING"] = _database,
            ["TSDB_CHUNK_INTERVAL"] = "30.00:00:00",
            ["TSDB_COMPRESS_AFTER"] = "36500.00:00:00",
        }, "db", "status");

        TestContext.Out.WriteLine(result.Stdout);
        Assert.That(result.ExitCode, Is.Zero, result.Stdout + result.Stderr);
        Assert.That(result.Stdout, Does.Contain("mode: timescaledb (price_data is a hypertable; compression on, policy on)"));
        Assert.That(result.Stdout, Does.Match(@"chunks: \d+ of 30 days covering 20\d\d-\d\d-\d\d to 20\d\d-\d\d-\d\d; [1-9]\d* compressed, [1-9]\d* uncompressed"));
        Assert.That(result.Stdout, Does.Match(@"rows: ~[\d,]+ rows \(approximate, from the planner's statistics\), about [\d,]+ per chunk"));
        Assert.That(result.Stdout, Does.Match(@"size: [\d.]+ \w+ now; the \d+ compressed chunk\(s\): [\d.]+ \w+ before, [\d.]+ \w+ after compression \(ratio \d+\.\d:1\)"));
    }
}

using Dapper;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;
using Ktrdr.Worker.Hosting;
using Npgsql;

namespace Ktrdr.Tests.Jobs;

/// <summary>
/// Imports that commit in bounded batches on a hypertable with tiny chunks (one hour) and a stock lock table
/// (max_locks_per_transaction 64): a file spanning thousands of chunks, a crash between batches, the resume point.
/// </summary>
public sealed class BatchedImportTests
{
    private const int BatchRows = 1000;
    private ServiceProvider _services = null!;
    private string _connectionString = "";
    private string _dataDir = "";

    private SeriesImporter Importer => _services.GetRequiredService<SeriesImporter>();

    private MigrationRunStore Store => _services.GetRequiredService<MigrationRunStore>();

    [OneTimeSetUp]
    public async Task CreateDatabase()
    {
        _connectionString = await TimescaleDatabase.CreateAsync("batched");
        _dataDir = Directory.CreateTempSubdirectory("ktrdr-batched-").FullName;
        _services = TestServices.Build(_connectionString, _dataDir, new Dictionary<string, string?>
        {
            ["TSDB_CHUNK_INTERVAL"] = "01:00:00",
            ["TSDB_COMPRESSION"] = "false",
            ["KTRDR_IMPORT_BATCH_ROWS"] = BatchRows.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await _services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task Dispose()
    {
        await _services.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Test]
    [CancelAfter(600_000)]
    public async Task A_file_spanning_thousands_of_chunks_imports_exactly_on_a_stock_lock_table(CancellationToken cancellationToken)
    {
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            Assert.That(await connection.ExecuteScalarAsync<string>("SHOW max_locks_per_transaction"), Is.EqualTo("64"), "a stock lock table");
        }

        // 60,000 5-minute bars are 5,000 one-hour chunks: one transaction would need a lock on each, and more.
        var path = await new SampleDataWriter().WriteAsync(_dataDir, "MANY", "5m", 60_000, withBadLines: true, cancellationToken);
        var item = await ItemAsync(path, cancellationToken);

        var outcome = await Importer.ImportAsync(item, _ => Task.CompletedTask, cancellationToken);

        Assert.That((outcome.Inserted, outcome.AlreadyPresent, outcome.Conflicting), Is.EqualTo((60_000L, 0L, 0L)));
        Assert.That(outcome.Balances, Is.True);
        await using var db = new NpgsqlConnection(_connectionString);
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM price_data WHERE symbol = 'MANY'"), Is.EqualTo(60_000));
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM show_chunks('price_data')"), Is.GreaterThanOrEqualTo(5_000));
        var checkpoint = await CheckpointAsync(item.Id, cancellationToken);
        Assert.That(checkpoint.Batches, Is.GreaterThan(60), "at most 64 chunks, and at most 1,000 lines, per batch");
        Assert.That(checkpoint.Read, Is.EqualTo(outcome.Read));

        // Reads of it: the whole series (windows of 64 chunks, each its own statement) and a range inside it.
        var backend = _services.GetRequiredService<TimescaleBackend>();
        var key = new Ktrdr.Backends.SeriesKey("MANY", "5m");
        var all = await backend.LoadAsync(key, null, null, cancellationToken).ToListAsync(cancellationToken);
        Assert.That(all, Has.Count.EqualTo(60_000));
        Assert.That(all.Zip(all.Skip(1)).All(p => p.First.Time < p.Second.Time), Is.True, "in time order, no bar twice at a window's edge");
        var from = all[1_000].Time;
        var range = await backend.LoadAsync(key, from, from.AddHours(10), cancellationToken).ToListAsync(cancellationToken);
        Assert.That(range.Select(b => b.Time), Is.EqualTo(all.Skip(1_000).Take(120).Select(b => b.Time)));
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task An_import_that_dies_mid_file_resumes_after_its_last_committed_batch(CancellationToken cancellationToken)
    {
        var path = await new SampleDataWriter().WriteAsync(_dataDir, "RESUME", "5m", 10_000, withBadLines: true, cancellationToken);
        var bad = SampleDataWriter.BadLines.Length + 1;
        var item = await ItemAsync(path, cancellationToken);

        // The first attempt dies on its 4,000th line (progress comes every 1,000 lines). Batches here end at 64 one-hour
        // chunks (768 bars) before 1,000 lines: those ending by line 3,840 are committed, the one under way is not.
        var options = Microsoft.Extensions.Options.Options.Create(new MigrationOptions { BatchRows = BatchRows, ProgressEveryRows = 1000 });
        var importer = new SeriesImporter(_services.GetRequiredService<TimescaleBackend>(), _services.GetRequiredService<PriceDataInspector>(), new ImportBatchStore(), options,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SeriesImporter>.Instance);
        Assert.ThrowsAsync<IOException>(() => importer.ImportAsync(item, rows => rows >= 4_000 ? throw new IOException("worker died") : Task.CompletedTask, cancellationToken));
        var committed = await CheckpointAsync(item.Id, cancellationToken);
        Assert.That((committed.Batches, committed.Read), Is.EqualTo((5, 3_840L)), "the batch under way rolled back");
        await using (var db = new NpgsqlConnection(_connectionString))
        {
            Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM price_data WHERE symbol = 'RESUME'"), Is.EqualTo(committed.Inserted));
        }

        // The redelivered job: the item as stored, with its checkpoint. Nothing committed is read into a batch again.
        var reported = new List<long>();
        var resumed = await importer.ImportAsync((await Store.GetItemAsync(item.Id, cancellationToken))!, rows =>
        {
            reported.Add(rows);
            return Task.CompletedTask;
        }, cancellationToken);

        Assert.That(reported.Min(), Is.GreaterThan(committed.Read), "the resumed attempt starts after the committed lines");
        Assert.That((resumed.Read, resumed.Inserted, resumed.AlreadyPresent, resumed.Rejected), Is.EqualTo((10_000L + bad, 10_000L, 0L, (long)bad)),
            "every committed bar counted once, as inserted; none re-read as present");
        await using var check = new NpgsqlConnection(_connectionString);
        Assert.That(await check.ExecuteScalarAsync<long>("SELECT count(*) FROM price_data WHERE symbol = 'RESUME'"), Is.EqualTo(10_000));
        Assert.That(await check.ExecuteScalarAsync<long>("SELECT count(*) FROM rejected_rows WHERE item_id = @Id", new { item.Id }), Is.EqualTo(bad));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_file_changed_since_the_last_attempt_is_imported_from_the_start(CancellationToken cancellationToken)
    {
        var path = await new SampleDataWriter().WriteAsync(_dataDir, "CHANGED", "5m", 3_000, withBadLines: false, cancellationToken);
        var item = await ItemAsync(path, cancellationToken);
        await Importer.ImportAsync(item, _ => Task.CompletedTask, cancellationToken);
        await File.AppendAllTextAsync(path, "2099-01-01 00:00:00+00:00,1,2,0.5,1.5,10\n", cancellationToken);

        var again = await Importer.ImportAsync((await Store.GetItemAsync(item.Id, cancellationToken))!, _ => Task.CompletedTask, cancellationToken);

        Assert.That((again.Read, again.Inserted, again.AlreadyPresent), Is.EqualTo((3_001L, 1L, 3_000L)));
    }

    private async Task<MigrationItem> ItemAsync(string path, CancellationToken cancellationToken)
    {
        var name = Path.GetFileNameWithoutExtension(path).Split('_');
        var (_, items) = await Store.CreateRunAsync(_dataDir, _dataDir, [], [], [(name[0], name[1], path, new FileInfo(path).Length)], cancellationToken);
        return items.Single();
    }

    private async Task<ImportCheckpoint> CheckpointAsync(long itemId, CancellationToken cancellationToken)
    {
        var item = await Store.GetItemAsync(itemId, cancellationToken);
        return System.Text.Json.JsonSerializer.Deserialize<ImportCheckpoint>(item!.Checkpoint!)!;
    }
}

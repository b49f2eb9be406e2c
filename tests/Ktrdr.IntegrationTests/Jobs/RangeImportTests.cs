using System.Globalization;
using System.Text;
using Dapper;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Ktrdr.Tests.Jobs;

/// <summary>
/// A gap-filling import that dies mid-file and is redelivered: the resumed attempt reads the range from the run, the
/// checkpoint carries the outside-the-range count, and the result is what one clean run gives.
/// </summary>
public sealed class RangeImportTests
{
    private const int Bars = 10_000;
    private static readonly DateTime First = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private ServiceProvider _services = null!;
    private string _connectionString = "";
    private string _dataDir = "";

    [OneTimeSetUp]
    public async Task CreateDatabase()
    {
        _connectionString = await TimescaleDatabase.CreateAsync("rangeimport");
        _dataDir = Directory.CreateTempSubdirectory("ktrdr-rangeimport-").FullName;
        _services = TestServices.Build(_connectionString, _dataDir, new Dictionary<string, string?>
        {
            ["TSDB_CHUNK_INTERVAL"] = "01:00:00",
            ["TSDB_COMPRESSION"] = "false",
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
    [CancelAfter(300_000)]
    public async Task A_ranged_import_that_dies_mid_file_resumes_with_its_range_and_counts_each_line_once(CancellationToken cancellationToken)
    {
        var path = Path.Combine(_dataDir, "GAP_5m.csv");
        await File.WriteAllTextAsync(path, FileText(), cancellationToken);
        // Bars 2,000 to 7,999 (the end instant is inclusive).
        var range = ImportRange.Parse(Time(2_000), Time(7_999));
        var store = _services.GetRequiredService<MigrationRunStore>();
        var (_, items) = await store.CreateRunAsync(_dataDir, _dataDir, ["5m"], ["GAP"], [("GAP", "5m", path, new FileInfo(path).Length)], range, cancellationToken);
        var item = items.Single();
        Assert.That(item.Range, Is.EqualTo(range), "the item reads its run's range");

        var options = Microsoft.Extensions.Options.Options.Create(new MigrationOptions { BatchRows = 1_000, ProgressEveryRows = 1_000 });
        var importer = new SeriesImporter(_services.GetRequiredService<TimescaleBackend>(), _services.GetRequiredService<PriceDataInspector>(), new ImportBatchStore(), options, NullLogger<SeriesImporter>.Instance);
        Assert.ThrowsAsync<IOException>(() => importer.ImportAsync(item, rows => rows >= 4_000 ? throw new IOException("worker died") : Task.CompletedTask, cancellationToken));
        var stored = (await store.GetItemAsync(item.Id, cancellationToken))!;
        var committed = System.Text.Json.JsonSerializer.Deserialize<ImportCheckpoint>(stored.Checkpoint!)!;
        Assert.That(committed.OutsideRange, Is.EqualTo(2_000), "the lines before the range are in the checkpoint's counts");
        Assert.That(committed.Read, Is.EqualTo(committed.Inserted + committed.OutsideRange));

        // The redelivered job: the item as stored (its range from the run, its checkpoint).
        var reported = new List<long>();
        var resumed = await importer.ImportAsync(stored, rows =>
        {
            reported.Add(rows);
            return Task.CompletedTask;
        }, cancellationToken);

        Assert.That(reported.Min(), Is.GreaterThan(committed.Read), "the resumed attempt starts after the committed lines");
        Assert.That((resumed.Read, resumed.Inserted, resumed.AlreadyPresent, resumed.Rejected, resumed.OutsideRange),
            Is.EqualTo(((long)Bars, 6_000L, 0L, 0L, 4_000L)));
        Assert.That(resumed.Balances, Is.True);
        Assert.That((resumed.FirstTime, resumed.LastTime), Is.EqualTo(((DateTime?)At(2_000), (DateTime?)At(7_999))), "first and last bar imported");
        await using var db = new NpgsqlConnection(_connectionString);
        var (count, min, max) = await db.QuerySingleAsync<(long, DateTime, DateTime)>(
            "SELECT count(*), min(time), max(time) FROM price_data WHERE symbol = 'GAP'");
        Assert.That((count, min, max), Is.EqualTo((6_000L, At(2_000), At(7_999))));

        var comparison = await _services.GetRequiredService<SeriesComparer>().CompareAsync(new Ktrdr.Backends.SeriesKey("GAP", "5m"), path, range, null, cancellationToken);
        Assert.That((comparison.Matches, comparison.CsvRows, comparison.DbRows, comparison.OutsideRange), Is.EqualTo((true, 6_000L, 6_000L, 4_000L)));
        var whole = await _services.GetRequiredService<SeriesComparer>().CompareAsync(new Ktrdr.Backends.SeriesKey("GAP", "5m"), path, cancellationToken);
        Assert.That((whole.Matches, whole.Mismatches), Is.EqualTo((false, 4_000L)), "the whole file is not in the database: only the range was asked for");
    }

    private static DateTime At(int bar) => First.AddMinutes(5 * bar);

    private static string Time(int bar) => At(bar).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string FileText()
    {
        var text = new StringBuilder("timestamp,open,high,low,close,volume\n");
        for (var i = 0; i < Bars; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{At(i):yyyy-MM-dd HH:mm:ss}+00:00,10,11,9,10.5,{i}\n");
        }

        return text.ToString();
    }
}

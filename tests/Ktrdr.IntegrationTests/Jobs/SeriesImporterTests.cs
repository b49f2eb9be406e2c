using Dapper;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs;
using Ktrdr.Tests.Infrastructure;
using Ktrdr.Worker.Demo;
using Ktrdr.Worker.Hosting;
using Npgsql;

namespace Ktrdr.Tests.Jobs;

/// <summary>The import pipeline on real files and a real database: every line accounted for, on a first run and on re-runs.</summary>
public sealed class SeriesImporterTests
{
    private const int Good = 40_000;
    private TestDatabase _db = null!;

    private SeriesImporter Importer => _db.Services.GetRequiredService<SeriesImporter>();

    [OneTimeSetUp]
    public async Task CreateDatabase() => _db = await TestDatabase.CreateAsync("importer");

    [OneTimeTearDown]
    public async Task Dispose() => await _db.DisposeAsync();

    private async Task<MigrationItem> ItemAsync(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path).Split('_');
        var (_, items) = await _db.Services.GetRequiredService<MigrationRunStore>().CreateRunAsync(_db.DataDir, _db.DataDir, [], [],
            [(name[0], name[1], path, new FileInfo(path).Length)], CancellationToken.None);
        return items.Single();
    }

    private Task<ImportOutcome> ImportAsync(MigrationItem item) => Importer.ImportAsync(item, _ => Task.CompletedTask, CancellationToken.None);

    [Test]
    public async Task A_second_import_of_the_same_file_inserts_nothing_and_counts_every_good_line_present()
    {
        var path = await new SampleDataWriter().WriteAsync(_db.DataDir, "IMPA", "5m", Good, withBadLines: true, CancellationToken.None);
        var bad = SampleDataWriter.BadLines.Length + 1;

        var first = await ImportAsync(await ItemAsync(path));
        var again = await ImportAsync(await ItemAsync(path));

        Assert.That((first.Read, first.Inserted, first.AlreadyPresent, first.Conflicting, first.Rejected), Is.EqualTo(((long)Good + bad, (long)Good, 0L, 0L, (long)bad)));
        Assert.That((again.Read, again.Inserted, again.AlreadyPresent, again.Conflicting, again.Rejected), Is.EqualTo(((long)Good + bad, 0L, (long)Good, 0L, (long)bad)));
        Assert.That(again.Balances, Is.True);
    }

    [Test]
    public async Task A_re_import_of_an_edited_file_inserts_the_new_lines_and_counts_the_changed_ones_as_conflicts()
    {
        var path = await new SampleDataWriter().WriteAsync(_db.DataDir, "IMPB", "5m", Good, withBadLines: false, CancellationToken.None);
        await ImportAsync(await ItemAsync(path));
        var lines = await File.ReadAllLinesAsync(path);
        var edited = lines.Select((line, i) => i is 100 or 20_000 ? line[..line.LastIndexOf(',')] + ",7.0" : line).ToList();
        var last = DateTimeOffset.Parse(lines[^1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture).UtcDateTime;
        edited.AddRange(Enumerable.Range(1, 50).Select(i => $"{last.AddMinutes(5 * i):yyyy-MM-dd HH:mm:ss}+00:00,1,2,0.5,1.5,10.0"));
        await File.WriteAllLinesAsync(path, edited);

        var outcome = await ImportAsync(await ItemAsync(path));

        Assert.That((outcome.Read, outcome.Inserted, outcome.AlreadyPresent, outcome.Conflicting, outcome.Rejected), Is.EqualTo((Good + 50L, 50L, Good - 2L, 2L, 0L)));
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM price_data WHERE symbol = 'IMPB' AND volume = 7"), Is.Zero, "conflicts never overwrite");
    }
}

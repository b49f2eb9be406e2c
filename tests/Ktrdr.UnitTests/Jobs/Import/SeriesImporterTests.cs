using System.Globalization;
using System.Text.Json;
using Ktrdr.Backends;
using Ktrdr.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ktrdr.Tests.Jobs.Import;

/// <summary>The importer with in-memory fakes at its seams (writer, table facts, batch store): no database.</summary>
public sealed class SeriesImporterTests
{
    private const string Header = "timestamp,open,high,low,close,volume";
    private static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private string _dir = "";
    private InMemorySeriesWriter _writer = null!;
    private InMemoryImportBatchStore _store = null!;
    private List<(long Lines, bool InTransaction)> _progress = [];

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("ktrdr-importer-").FullName;
        _writer = new InMemorySeriesWriter();
        _store = new InMemoryImportBatchStore(_writer);
        _progress = [];
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task Every_line_lands_in_exactly_one_count_and_only_good_bars_reach_the_writer()
    {
        var item = Item(Good(0), Good(1), "garbage,1,2,1,2,10", Good(2), Good(2), Bar(3, volume: "-5"), Good(4), Good(5));

        var outcome = await ImportAsync(item);

        Assert.Multiple(() =>
        {
            Assert.That((outcome.Read, outcome.Inserted, outcome.AlreadyPresent, outcome.Conflicting, outcome.Rejected), Is.EqualTo((8L, 5L, 1L, 0L, 2L)));
            Assert.That(outcome.Balances, Is.True);
            Assert.That(_writer.Written.Select(b => b.Time), Is.EqualTo(new[] { Day(0), Day(1), Day(2), Day(4), Day(5) }));
            Assert.That((outcome.FirstTime, outcome.LastTime), Is.EqualTo((Day(0), Day(5))));
        });
    }

    [Test]
    public async Task Rejected_lines_are_recorded_with_their_line_numbers_reasons_and_text()
    {
        var item = Item(Good(0), "garbage,1,2,1,2,10", Good(1), Bar(2, volume: "-5"));

        await ImportAsync(item);

        Assert.That(_store.Rejected.Select(r => (r.ItemId, r.Line, r.Reason, r.RawLine)), Is.EqualTo(new[]
        {
            (item.Id, 3L, "unparseable timestamp", "garbage,1,2,1,2,10"),
            (item.Id, 5L, "negative volume", Bar(2, volume: "-5")),
        }));
    }

    [Test]
    public async Task A_line_repeating_the_bar_before_counts_as_already_present_and_is_not_written()
    {
        var outcome = await ImportAsync(Item(Good(0), Good(0), Good(0), Good(1)));

        Assert.Multiple(() =>
        {
            Assert.That((outcome.Read, outcome.Inserted, outcome.AlreadyPresent), Is.EqualTo((4L, 2L, 2L)));
            Assert.That(_writer.Written.Count(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Importing_the_same_file_again_counts_every_bar_as_already_present()
    {
        string[] lines = [Good(0), Good(1), Good(1), Good(2)];
        await ImportAsync(Item(lines));

        var again = await ImportAsync(Item(lines));

        Assert.Multiple(() =>
        {
            Assert.That((again.Read, again.Inserted, again.AlreadyPresent, again.Conflicting), Is.EqualTo((4L, 0L, 4L, 0L)));
            Assert.That(_writer.Stored, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public async Task Lines_outside_the_range_are_counted_as_outside_and_never_written()
    {
        var item = Item(Good(0), Good(1), Good(2), "garbage,1,2,1,2,10", Good(3), Good(4), Good(5)) with { RangeStart = Day(2), RangeEnd = Day(4) };

        var outcome = await ImportAsync(item);

        Assert.Multiple(() =>
        {
            // The unreadable timestamp belongs nowhere: rejected, not outside.
            Assert.That((outcome.Read, outcome.Inserted, outcome.OutsideRange, outcome.Rejected), Is.EqualTo((7L, 2L, 4L, 1L)));
            Assert.That(outcome.Balances, Is.True);
            Assert.That(_writer.Written.Select(b => b.Time), Is.EqualTo(new[] { Day(2), Day(3) }));
        });
    }

    [Test]
    public async Task Bars_older_than_the_retention_cutoff_are_counted_with_their_span_and_never_written()
    {
        var item = Item(Good(0), Good(1), Good(2), Good(3)) with { RetentionCutoff = Day(2) };

        var outcome = await ImportAsync(item);

        Assert.Multiple(() =>
        {
            Assert.That((outcome.Read, outcome.Inserted, outcome.OlderThanRetention), Is.EqualTo((4L, 2L, 2L)));
            Assert.That((outcome.OlderFirstTime, outcome.OlderLastTime), Is.EqualTo((Day(0), Day(1))));
            Assert.That(outcome.Balances, Is.True);
            Assert.That(_writer.Written.Select(b => b.Time), Is.EqualTo(new[] { Day(2), Day(3) }));
        });
    }

    [Test]
    public async Task A_batch_ends_after_BatchRows_lines_and_commits_with_its_own_resume_point()
    {
        var item = Item(Enumerable.Range(0, 7).Select(Good).ToArray());

        var outcome = await ImportAsync(item, new MigrationOptions { BatchRows = 3 });

        Assert.Multiple(() =>
        {
            Assert.That(_writer.Batches.Select(b => b.Count), Is.EqualTo(new[] { 3, 3, 1 }));
            Assert.That(_store.Checkpoints.Select(c => (c.Batches, c.Line, c.Read)), Is.EqualTo(new[] { (1, 4L, 3L), (2, 7L, 6L), (3, 8L, 7L) }));
            Assert.That(_store.SavedInTransaction, Is.All.True);
            Assert.That(outcome.Inserted, Is.EqualTo(7));
        });
    }

    [Test]
    public async Task A_batch_ends_before_a_bar_that_would_take_it_into_one_chunk_too_many()
    {
        var item = Item(Good(0), Good(0), Good(1), Good(2), Good(3), Good(4));

        var outcome = await ImportAsync(item, new MigrationOptions { BatchChunks = 2 }, chunkInterval: TimeSpan.FromDays(1));

        Assert.Multiple(() =>
        {
            Assert.That(_writer.Batches.Select(b => b.Select(bar => bar.Time)), Is.EqualTo(new[]
            {
                new[] { Day(0), Day(1) }, [Day(2), Day(3)], [Day(4)],
            }));
            Assert.That(outcome.Inserted, Is.EqualTo(5));
        });
    }

    [Test]
    public async Task A_resumed_import_skips_the_lines_its_checkpoint_committed_and_counts_each_line_once()
    {
        var item = Item(Good(0), "garbage,1,2,1,2,10", Good(1), Good(2), Good(3));
        var committed = ImportCheckpoint.Start(ImportCheckpoint.StampOf(item.FilePath)) with
        {
            Line = 4, Batches = 1, Read = 3, Inserted = 2, Rejected = 1, FirstTime = Day(0), LastTime = Day(1),
        };

        var outcome = await ImportAsync(item with { Checkpoint = JsonSerializer.Serialize(committed) });

        Assert.Multiple(() =>
        {
            Assert.That(_writer.Written.Select(b => b.Time), Is.EqualTo(new[] { Day(2), Day(3) }));
            Assert.That(_store.Rejected, Is.Empty, "the committed rejected line was recorded again");
            Assert.That((outcome.Read, outcome.Inserted, outcome.Rejected, outcome.AlreadyPresent), Is.EqualTo((5L, 4L, 1L, 0L)));
            Assert.That((outcome.FirstTime, outcome.LastTime), Is.EqualTo((Day(0), Day(3))));
            Assert.That(_store.Checkpoints.Single().Batches, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_file_changed_since_its_checkpoint_is_imported_from_the_start()
    {
        var item = Item(Good(0), "garbage,1,2,1,2,10", Good(1), Good(2), Good(3));
        var stale = ImportCheckpoint.Start("1:1") with { Line = 4, Batches = 1, Read = 3, Inserted = 2, Rejected = 1 };

        var outcome = await ImportAsync(item with { Checkpoint = JsonSerializer.Serialize(stale) });

        Assert.Multiple(() =>
        {
            Assert.That(_writer.Written.Select(b => b.Time), Is.EqualTo(new[] { Day(0), Day(1), Day(2), Day(3) }));
            Assert.That(_store.Rejected.Select(r => r.Line), Is.EqualTo(new[] { 3L }));
            Assert.That((outcome.Read, outcome.Inserted, outcome.Rejected), Is.EqualTo((5L, 4L, 1L)));
            Assert.That(_store.Checkpoints.Single().FileStamp, Is.EqualTo(ImportCheckpoint.StampOf(item.FilePath)));
        });
    }

    [Test]
    public async Task Progress_is_reported_as_lines_are_read_and_never_inside_the_writers_transaction()
    {
        var item = Item(Enumerable.Range(0, 7).Select(Good).ToArray());

        await ImportAsync(item, new MigrationOptions { BatchRows = 3, ProgressEveryRows = 2 });

        Assert.That(_progress, Is.EqualTo(new[] { (2L, false), (4L, false), (6L, false), (7L, false) }));
    }

    [Test]
    public void A_symbol_longer_than_the_table_holds_fails_before_anything_is_read_or_written()
    {
        var item = Item(Good(0));
        var importer = new SeriesImporter(_writer, new FixedPriceTable(null, symbolLength: 2), _store, Options.Create(new MigrationOptions()),
            NullLogger<SeriesImporter>.Instance);

        Assert.ThrowsAsync<SeriesKeyTooLongException>(() => importer.ImportAsync(item, _ => Task.CompletedTask, CancellationToken.None));
        Assert.That(_writer.Batches, Is.Empty);
    }

    [Test]
    public async Task A_batch_that_deadlocks_is_written_again_whole_and_its_counts_and_resume_point_stay_exact()
    {
        _writer.DeadlocksAhead = 2;
        var item = Item(Good(0), Good(1), "garbage,1,2,1,2,10", Good(2));

        var outcome = await ImportAsync(item);

        Assert.Multiple(() =>
        {
            Assert.That((outcome.Read, outcome.Inserted, outcome.AlreadyPresent, outcome.Rejected), Is.EqualTo((4L, 3L, 0L, 1L)));
            Assert.That(_writer.Stored.Keys, Is.EquivalentTo(new[] { Day(0), Day(1), Day(2) }));
            Assert.That(_store.Rejected.Select(r => r.Line), Is.EqualTo(new[] { 4L }), "the rejected line (line 4: the header is line 1) is recorded once, by the batch that committed");
        });
    }

    [Test]
    public void A_batch_that_keeps_deadlocking_fails_the_attempt_with_the_servers_error()
    {
        _writer.DeadlocksAhead = 3;

        var error = Assert.ThrowsAsync<PostgresException>(() => ImportAsync(Item(Good(0))));

        Assert.That(error!.SqlState, Is.EqualTo(PostgresErrorCodes.DeadlockDetected));
        Assert.That(_writer.Stored, Is.Empty);
    }

    private async Task<ImportOutcome> ImportAsync(MigrationItem item, MigrationOptions? options = null, TimeSpan? chunkInterval = null)
    {
        var importer = new SeriesImporter(_writer, new FixedPriceTable(chunkInterval), _store, Options.Create(options ?? new MigrationOptions()),
            NullLogger<SeriesImporter>.Instance);
        return await importer.ImportAsync(item, lines =>
        {
            _progress.Add((lines, _writer.InTransaction));
            return Task.CompletedTask;
        }, CancellationToken.None);
    }

    private MigrationItem Item(params string[] lines)
    {
        var path = Path.Combine(_dir, "AAPL_1d.csv");
        File.WriteAllLines(path, [Header, .. lines]);
        return new MigrationItem { Id = 41, RunId = 7, Symbol = "AAPL", Timeframe = "1d", FilePath = path };
    }

    private static DateTime Day(int day) => Start.AddDays(day);

    private static string Good(int day) => Bar(day);

    private static string Bar(int day, string volume = "10") =>
        string.Create(CultureInfo.InvariantCulture, $"{Day(day):yyyy-MM-dd},1,2,1,2,{volume}");
}

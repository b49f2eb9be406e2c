using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs;
using Ktrdr.Tests.Infrastructure;

namespace Ktrdr.Tests.Jobs.BadInput;

/// <summary>
/// Every bad and hostile file of <see cref="BadInputCorpus"/> in one migration run, through the real planner, a real
/// Hangfire server and real PostgreSQL, after a first run that imported a good file. Each file's outcome is asserted;
/// the run goes on past every bad file; the bars imported before are all still there, unchanged.
/// </summary>
[NonParallelizable] // Hangfire in this process (JobServer)
public sealed class BadInputTests
{
    // The data directory's own name is hostile too: it ends up in file paths stored in the database.
    private const string HostileDirectory = "data dir 'q' \"dq\"; DROP TABLE price_data;--";
    private const int GoodRows = 50;
    private JobsHarness _server = null!;
    private string _root = "";
    private string _data = "";
    private MigrationPlan _plan = null!;
    private MigrationRun _run = null!;
    private IReadOnlyList<MigrationItem> _items = [];
    private IReadOnlyList<RejectedRow> _rejected = [];
    private List<Bar> _goodBefore = [];

    [OneTimeSetUp]
    public async Task ImportGoodThenEveryBadFile()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("badinput");
        _root = Directory.CreateTempSubdirectory("ktrdr-badinput-").FullName;
        _data = Path.Combine(_root, HostileDirectory);
        Directory.CreateDirectory(_data);
        await File.WriteAllBytesAsync(Path.Combine(_data, "GOOD_1d.csv"), BadInputCorpus.Good(GoodRows));
        _server = await JobsHarness.StartAsync(connectionString, _root);
        var (first, _) = await _server.MigrateAsync(_data, Path.Combine(_root, "report-1"));
        Assert.That(first.State, Is.EqualTo(RunState.Succeeded), "the good file's own run");
        _goodBefore = await LoadAsync("GOOD", "1d");

        foreach (var (symbol, timeframe, content) in BadInputCorpus.TextFiles())
        {
            await File.WriteAllBytesAsync(Path.Combine(_data, $"{symbol}_{timeframe}.csv"), content);
        }

        foreach (var name in BadInputCorpus.HostileNames)
        {
            await File.WriteAllBytesAsync(Path.Combine(_data, name), BadInputCorpus.Good(3));
        }

        BadInputCorpus.WriteSparse(Path.Combine(_data, "SPARSE_1d.csv"), 2L << 30);
        await File.WriteAllBytesAsync(Path.Combine(_data, "VANISHED_1d.csv"), BadInputCorpus.Good(5));
        await File.WriteAllBytesAsync(Path.Combine(_data, "BECAMEDIR_1d.csv"), BadInputCorpus.Good(5));

        _plan = _server.Services.GetRequiredService<MigrationPlanner>().Plan(new MigrationRequest(_data, Path.Combine(_root, "report-2"), [], []));

        // Between planning and importing: one file disappears, another is replaced by a directory.
        File.Delete(Path.Combine(_data, "VANISHED_1d.csv"));
        File.Delete(Path.Combine(_data, "BECAMEDIR_1d.csv"));
        Directory.CreateDirectory(Path.Combine(_data, "BECAMEDIR_1d.csv"));

        var runId = await _server.Services.GetRequiredService<MigrationPlanner>().StartAsync(_plan, CancellationToken.None);
        (_run, _items) = await _server.WaitAsync(runId, TimeSpan.FromMinutes(5));
        _rejected = await _server.Services.GetRequiredService<RejectedRowStore>().FirstAsync(runId, 100, CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private MigrationItem Item(string symbol) => _items.Single(i => i.Symbol == symbol);

    private List<string> Reasons(string symbol) => _rejected.Where(r => r.ItemId == Item(symbol).Id).Select(r => r.Reason).ToList();

    private async Task<List<Bar>> LoadAsync(string symbol, string timeframe) =>
        await _server.Services.GetRequiredService<TimescaleBackend>().LoadAsync(new SeriesKey(symbol, timeframe), null, null, CancellationToken.None).ToListAsync();

    private static DateTime Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, DateTimeKind.Utc);

    private void AssertImported(string symbol, long read, long inserted, long rejected)
    {
        var item = Item(symbol);
        Assert.Multiple(() =>
        {
            Assert.That(item.State, Is.EqualTo(ItemState.Succeeded), $"{symbol}: {item.Error}");
            Assert.That((item.RowsRead, item.Inserted, item.Rejected), Is.EqualTo(((long?)read, (long?)inserted, (long?)rejected)), symbol);
            Assert.That(item.Verified, Is.True, $"{symbol}: {item.VerifyMessage}");
        });
    }

    private void AssertFailed(string symbol, params string[] messageParts)
    {
        var item = Item(symbol);
        Assert.Multiple(() =>
        {
            Assert.That(item.State, Is.EqualTo(ItemState.Failed), symbol);
            Assert.That(item.Attempts, Is.EqualTo(1), $"{symbol}: a permanent failure is not retried");
            foreach (var part in messageParts)
            {
                Assert.That(item.Error, Does.Contain(part), symbol);
            }
        });
    }

    [Test]
    public async Task The_run_goes_on_past_every_bad_file_and_loses_nothing_imported_before()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_items.Select(i => i.State), Is.All.AnyOf(ItemState.Succeeded, ItemState.Failed));
            Assert.That(_run.State, Is.EqualTo(RunState.Partial));
            Assert.That(File.Exists(_run.ReportPath), Is.True, "the run's report");
            Assert.That(Item("GOOD").AlreadyPresent, Is.EqualTo(GoodRows));
            Assert.That(Item("GOOD").Inserted, Is.Zero);
        });
        Assert.That(await LoadAsync("GOOD", "1d"), Is.EqualTo(_goodBefore));
    }

    [Test]
    public void Files_with_spaces_quotes_or_SQL_in_their_names_are_skipped_and_said_so()
    {
        Assert.That(_plan.Skipped.Select(s => s.Name), Is.EquivalentTo(BadInputCorpus.HostileNames));
        Assert.That(_plan.Skipped.Select(s => s.Reason), Is.All.Contain("SYMBOL_TIMEFRAME.csv"));
        Assert.That(_items.Select(i => i.Symbol), Has.None.Contain("'").And.None.Contain(" "));
    }

    [Test]
    public void A_data_directory_with_quotes_and_SQL_in_its_name_is_stored_as_data() =>
        Assert.That(Item("GOOD").FilePath, Is.EqualTo(Path.Combine(_data, "GOOD_1d.csv")));

    [Test]
    public void An_empty_file_fails_with_a_clear_message() => AssertFailed("EMPTY", "EMPTY_1d.csv", "file is empty", "expected a header");

    [Test]
    public void A_header_only_file_imports_nothing_and_succeeds() => AssertImported("HEADERONLY", 0, 0, 0);

    [Test]
    public async Task Extra_columns_are_ignored()
    {
        AssertImported("EXTRACOLS", 3, 3, 0);
        Assert.That((await LoadAsync("EXTRACOLS", "1d"))[2], Is.EqualTo(new Bar(Utc(2024, 1, 3), 11, 11.5, 10.5, 11.2, 300)));
    }

    [Test]
    public async Task Columns_are_found_by_name_in_any_order()
    {
        AssertImported("REORDERED", 2, 2, 0);
        Assert.That((await LoadAsync("REORDERED", "1d"))[0], Is.EqualTo(new Bar(Utc(2024, 1, 1), 10, 11, 9, 10.5, 100)));
    }

    [Test]
    public void A_missing_column_fails_naming_it() => AssertFailed("NOVOLUME", "lacks column(s) volume");

    [Test]
    public void Unknown_columns_fail_naming_the_missing_ones() => AssertFailed("UNKNOWNCOLS", "lacks column(s) timestamp, open, high, low, close, volume");

    [Test]
    public void A_wrong_delimiter_fails_saying_commas_are_expected() => AssertFailed("SEMICOLON", "lacks column(s)", "separated by commas");

    [Test]
    public void A_UTF8_byte_order_mark_is_ignored() => AssertImported("BOM", 3, 3, 0);

    [Test]
    public async Task CRLF_line_ends_give_the_same_values()
    {
        AssertImported("CRLF", 3, 3, 0);
        Assert.That((await LoadAsync("CRLF", "1h"))[2], Is.EqualTo(new Bar(Utc(2024, 1, 1, 2), 11, 11.5, 10.5, 11.2, 300)));
    }

    [Test]
    public void Quoted_fields_are_read_and_a_quoted_thousands_separator_is_rejected()
    {
        AssertImported("QUOTED", 3, 2, 1);
        Assert.That(Reasons("QUOTED"), Is.EqualTo(new[] { "'open' is not a number" }));
    }

    [Test]
    public void A_truncated_last_line_is_rejected_and_the_lines_before_it_are_kept()
    {
        AssertImported("TRUNCATED", 4, 3, 1);
        Assert.That(Reasons("TRUNCATED"), Is.EqualTo(new[] { "expected 6 fields, found 3" }));
    }

    [Test]
    public void Non_numeric_NaN_and_infinite_values_are_rejected_with_their_reason()
    {
        AssertImported("BADNUMBERS", 11, 1, 10);
        Assert.That(Reasons("BADNUMBERS"), Is.EqualTo(new[]
        {
            "'open' is not a number", "price is NaN or infinite", "price is NaN or infinite", "price is NaN or infinite",
            "price is NaN or infinite", "'open' is not a number", "'open' is not a number", "volume is NaN or infinite",
            "empty field 'open'", "'open' is not a number",
        }));
    }

    [Test]
    public async Task Far_future_timestamps_up_to_year_9999_are_stored_and_read_back_and_beyond_it_are_rejected()
    {
        AssertImported("FUTURE", 3, 2, 1);
        Assert.That(Reasons("FUTURE"), Is.EqualTo(new[] { "unparseable timestamp" }));
        Assert.That((await LoadAsync("FUTURE", "1d")).Select(b => b.Time), Is.EqualTo(new[] { Utc(2999, 6, 1), Utc(9999, 12, 31) }));
    }

    [Test]
    public async Task Timestamps_before_1970_are_stored_and_read_back()
    {
        AssertImported("PRE1970", 4, 4, 0);
        Assert.That((await LoadAsync("PRE1970", "1d")).Select(b => b.Time),
            Is.EqualTo(new[] { Utc(100, 3, 1), Utc(1066, 10, 14), Utc(1900, 1, 2), Utc(1969, 12, 31, 23, 59, 59) }));
    }

    [Test]
    public async Task Timestamps_without_an_offset_are_taken_as_UTC()
    {
        AssertImported("NAIVE", 2, 2, 0);
        Assert.That((await LoadAsync("NAIVE", "1h")).Select(b => b.Time), Is.EqualTo(new[] { Utc(2024, 3, 10, 1), Utc(2024, 3, 10, 2, 30) }));
    }

    [Test]
    public async Task Mixed_offsets_are_converted_to_UTC_and_an_impossible_offset_is_rejected()
    {
        AssertImported("MIXEDOFFSETS", 5, 4, 1);
        Assert.That(Reasons("MIXEDOFFSETS"), Is.EqualTo(new[] { "unparseable timestamp" }));
        Assert.That((await LoadAsync("MIXEDOFFSETS", "1h")).Select(b => b.Time),
            Is.EqualTo(new[] { Utc(2024, 1, 1, 10), Utc(2024, 1, 1, 11), Utc(2024, 1, 1, 12), Utc(2024, 1, 1, 13) }));
    }

    [Test]
    public async Task Duplicated_timestamps_keep_the_first_bar_and_account_for_every_repeat()
    {
        var item = Item("DUPLICATES");
        Assert.Multiple(() =>
        {
            Assert.That(item.State, Is.EqualTo(ItemState.Succeeded), item.Error);
            Assert.That((item.RowsRead, item.Inserted, item.AlreadyPresent, item.Conflicting, item.Rejected), Is.EqualTo(((long?)7, (long?)3, (long?)2, (long?)1, (long?)1)));
            Assert.That(Reasons("DUPLICATES"), Is.EqualTo(new[] { "timestamp repeated within the file with different values" }));
            Assert.That(item.Verified, Is.True, item.VerifyMessage);
        });
        Assert.That((await LoadAsync("DUPLICATES", "1d")).Select(b => b.Volume), Is.EqualTo(new[] { 100d, 200d, 300d }));
    }

    [Test]
    public void A_2_GiB_file_of_NUL_bytes_fails_with_a_clear_message_without_reading_it_into_memory()
    {
        AssertFailed("SPARSE", "SPARSE_1d.csv", "not a CSV text file");
        Assert.That(Item("SPARSE").FileSize, Is.EqualTo(2L << 30));
    }

    [Test]
    public void A_file_that_disappears_before_its_import_fails_with_a_clear_message() =>
        AssertFailed("VANISHED", "VANISHED_1d.csv", "file not found");

    [Test]
    public void A_file_that_becomes_unreadable_before_its_import_fails_with_a_clear_message() =>
        AssertFailed("BECAMEDIR", "BECAMEDIR_1d.csv", "cannot be read");
}

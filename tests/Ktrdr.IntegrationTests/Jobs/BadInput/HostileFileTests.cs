using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;
using Ktrdr.Jobs;
using Ktrdr.Jobs.Verification;
using Ktrdr.Tests.Infrastructure;

namespace Ktrdr.Tests.Jobs.BadInput;

/// <summary>
/// Every hostile file and directory entry of issue 13 item 4 in one migration run, through the real planner, a real
/// Hangfire server and real PostgreSQL: each gets its own outcome (a rejected line, a failed file or a skipped
/// entry with its reason) and the other files go on.
/// </summary>
[NonParallelizable] // Hangfire in this process (JobServer)
public sealed class HostileFileTests
{
    private const int GoodRows = 30;
    private JobsHarness _server = null!;
    private string _root = "";
    private string _data = "";
    private string _outside = "";
    private MigrationPlan _plan = null!;
    private MigrationRun _run = null!;
    private IReadOnlyList<MigrationItem> _items = [];
    private IReadOnlyList<RejectedRow> _rejected = [];

    [OneTimeSetUp]
    public async Task MigrateEveryHostileFile()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("hostile");
        _root = Directory.CreateTempSubdirectory("ktrdr-hostile-").FullName;
        _data = Path.Combine(_root, "data");
        Directory.CreateDirectory(_data);
        await File.WriteAllBytesAsync(Path.Combine(_data, "GOOD_1d.csv"), BadInputCorpus.Good(GoodRows));
        foreach (var (symbol, timeframe, content) in HostileCorpus.Files())
        {
            await File.WriteAllBytesAsync(Path.Combine(_data, $"{symbol}_{timeframe}.csv"), content);
        }

        await File.WriteAllBytesAsync(Path.Combine(_data, "aapl_1d.csv"), BadInputCorpus.Good(3));
        await File.WriteAllTextAsync(Path.Combine(_data, "AAPL_1h.csv"),
            BadInputCorpus.Header + "\n2024-01-01 00:00:00,10,11,9,10.5,100\n2024-01-01 01:00:00,10,11,9,10.5,100\n2024-01-01T02:00:00Z,10,11,9,10.5,100\n");
        await File.WriteAllBytesAsync(Path.Combine(_data, "PACKED_1d.csv.gz"), HostileCorpus.Gzip(BadInputCorpus.Good(5)));
        File.CreateSymbolicLink(Path.Combine(_data, "LOOPA_1d.csv"), Path.Combine(_data, "LOOPB_1d.csv"));
        File.CreateSymbolicLink(Path.Combine(_data, "LOOPB_1d.csv"), Path.Combine(_data, "LOOPA_1d.csv"));
        File.CreateSymbolicLink(Path.Combine(_data, "DANGLING_1d.csv"), Path.Combine(_data, "nowhere", "X.csv"));
        _outside = Path.Combine(_root, "elsewhere.txt");
        await File.WriteAllBytesAsync(_outside, BadInputCorpus.Good(4));
        File.CreateSymbolicLink(Path.Combine(_data, "OUTSIDE_1d.csv"), _outside);
        Directory.CreateDirectory(Path.Combine(_data, "originals"));
        await File.WriteAllBytesAsync(Path.Combine(_data, "originals", "inside.txt"), BadInputCorpus.Good(6));
        File.CreateSymbolicLink(Path.Combine(_data, "INSIDE_1d.csv"), Path.Combine("originals", "inside.txt"));

        _server = await JobsHarness.StartAsync(connectionString, _root);
        _plan = _server.Services.GetRequiredService<MigrationPlanner>().Plan(new MigrationRequest(_data, Path.Combine(_root, "report"), [], []));
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

    private List<(string Reason, string Raw)> Rejected(string symbol) =>
        _rejected.Where(r => r.ItemId == Item(symbol).Id).Select(r => (r.Reason, r.RawLine)).ToList();

    private string SkipReason(string name) => _plan.Skipped.Single(s => s.Name == name).Reason;

    private async Task<List<Bar>> LoadAsync(string symbol, string timeframe) =>
        await _server.Services.GetRequiredService<TimescaleBackend>().LoadAsync(new SeriesKey(symbol, timeframe), null, null, CancellationToken.None).ToListAsync();

    private static DateTime Day(int day) => new(2024, 1, day, 0, 0, 0, DateTimeKind.Utc);

    private void AssertImported(string symbol, long read, long inserted, long rejected)
    {
        var item = Item(symbol);
        Assert.Multiple(() =>
        {
            Assert.That(item.State, Is.EqualTo(ItemState.Succeeded), $"{symbol}: {item.Error}");
            Assert.That((item.RowsRead, item.Inserted, item.AlreadyPresent, item.Conflicting, item.Rejected),
                Is.EqualTo(((long?)read, (long?)inserted, (long?)0, (long?)0, (long?)rejected)), $"{symbol}: read = inserted + present + conflicting + rejected");
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
            Assert.That(item.Error, Does.Contain($"{symbol}_1d.csv: "));
            foreach (var part in messageParts)
            {
                Assert.That(item.Error, Does.Contain(part), symbol);
            }
        });
    }

    [Test]
    public void The_other_files_go_on()
    {
        Assert.That(_run.State, Is.EqualTo(RunState.Partial));
        AssertImported("GOOD", GoodRows, GoodRows, 0);
    }

    [Test]
    public async Task A_NUL_byte_rejects_its_line_and_the_rest_of_the_file_is_imported()
    {
        AssertImported("NUL", 3, 2, 1);
        Assert.That(Rejected("NUL"), Is.EqualTo(new[] { ("NUL byte in the line", "2024-01-02 00:00:00+00:00,10\\x000,102,99,101,1000") }));
        Assert.That((await LoadAsync("NUL", "1d")).Select(b => b.Time), Is.EqualTo(new[] { Day(1), Day(3) }));
    }

    [Test]
    public async Task Invalid_UTF8_rejects_its_line_even_in_an_ignored_column_and_keeps_its_bytes_escaped()
    {
        AssertImported("BADUTF", 3, 2, 1);
        Assert.That(Rejected("BADUTF"), Is.EqualTo(new[] { ("invalid UTF-8 in the line", "2024-01-02,100,102,99,101,1000,caf\\xe9\\xff\\\\") }));
        Assert.That((await LoadAsync("BADUTF", "1d")).Select(b => b.Time), Is.EqualTo(new[] { Day(1), Day(3) }));
    }

    [Test]
    public void A_gzip_file_fails_at_once_saying_to_decompress_it() =>
        AssertFailed("GZIPPED", "is gzip-compressed, not CSV text: decompress it (gunzip) first");

    [Test]
    public void A_zip_file_fails_at_once_saying_to_extract_it() =>
        AssertFailed("ZIPPED", "is a zip archive, not CSV text: extract it (unzip) first");

    [Test]
    public void A_binary_file_fails_at_once_saying_it_is_binary() =>
        AssertFailed("BINARY", "is binary (4000 of its first 4041 bytes are NUL), not a CSV text file");

    [Test]
    public void A_csv_gz_file_is_skipped_by_the_plan_saying_to_decompress_it()
    {
        Assert.That(SkipReason("PACKED_1d.csv.gz"), Is.EqualTo("is gzip-compressed, not CSV text: decompress it (gunzip) first"));
        Assert.That(_items.Select(i => i.Symbol), Has.None.EqualTo("PACKED"));
    }

    [Test]
    public async Task Sub_microsecond_timestamps_are_rejected_per_line_and_never_rounded()
    {
        AssertImported("SUBMICRO", 4, 2, 2);
        Assert.That(Rejected("SUBMICRO").Select(r => r.Reason), Is.All.EqualTo("more precision than the database keeps (microseconds)"));
        Assert.That(Rejected("SUBMICRO").Select(r => r.Raw), Is.EqualTo(new[]
        {
            "2024-01-01 01:00:00.123456789,10,11,9,10.5,100", "2024-01-01 02:00:00.1234567+00:00,10,11,9,10.5,100",
        }));
        var micro = TimeSpan.FromTicks(1234560);
        Assert.That((await LoadAsync("SUBMICRO", "1h")).Select(b => b.Time), Is.EqualTo(new[] { Day(1) + micro, Day(1).AddHours(3) + micro }));
    }

    [Test]
    public void A_header_with_a_column_twice_fails_naming_the_column() =>
        AssertFailed("TWICE", "has column 'close' twice (columns 5 and 7)");

    [Test]
    public void A_symlink_loop_is_skipped_with_its_reason()
    {
        Assert.That(SkipReason("LOOPA_1d.csv"), Does.StartWith("symbolic link to ").And.Contain("cannot be resolved").And.Contain("fix or remove the link"));
        Assert.That(SkipReason("LOOPB_1d.csv"), Does.Contain("cannot be resolved"));
        Assert.That(_items.Select(i => i.Symbol), Has.None.StartWith("LOOP"));
    }

    [Test]
    public void A_dangling_symlink_is_skipped_with_its_reason() =>
        Assert.That(SkipReason("DANGLING_1d.csv"), Does.Contain("which does not exist"));

    [Test]
    public void A_symlink_out_of_the_data_directory_is_skipped_unless_follow_symlinks_is_given()
    {
        Assert.That(SkipReason("OUTSIDE_1d.csv"), Does.Contain($"'{_outside}', outside the data directory").And.Contain("--follow-symlinks"));
        var followed = _server.Services.GetRequiredService<MigrationPlanner>().Plan(new MigrationRequest(_data, Path.Combine(_root, "report"), [], [], FollowSymlinks: true));
        Assert.That(followed.Files.Select(f => f.Symbol), Does.Contain("OUTSIDE"));
        Assert.That(followed.Skipped.Select(s => s.Name), Has.None.EqualTo("OUTSIDE_1d.csv"));
    }

    [Test]
    public void A_symlink_within_the_data_directory_is_imported() => AssertImported("INSIDE", 6, 6, 0);

    [Test]
    public async Task A_symbol_differing_only_in_case_is_warned_about_in_the_plan_and_the_report()
    {
        const string Warning = "symbol 'aapl' differs only in case from 'AAPL'";
        Assert.That(_plan.Warnings, Has.Exactly(1).StartsWith(Warning));
        Assert.That(await File.ReadAllTextAsync(_run.ReportPath!), Does.Contain("## Warnings").And.Contain(Warning));
        AssertImported("aapl", 3, 3, 0);
        AssertImported("AAPL", 3, 3, 0);
    }

    [Test]
    public async Task Timestamps_without_an_offset_are_counted_as_read_as_UTC_in_the_report()
    {
        var report = await File.ReadAllTextAsync(_run.ReportPath!);
        Assert.That(report, Does.Contain("- AAPL 1h: 2 lines read as UTC").And.Contain("- SUBMICRO 1h: 1 lines read as UTC"));
        Assert.That(report, Does.Not.Contain("GOOD 1d: "), "dates without a time are dates, not naive timestamps");
        Assert.That((await LoadAsync("AAPL", "1h")).Select(b => b.Time), Is.EqualTo(new[] { Day(1), Day(1).AddHours(1), Day(1).AddHours(2) }));
    }

    [Test]
    public async Task Verify_skips_the_same_entries_with_their_reasons_and_compares_the_rest()
    {
        var verifier = _server.Services.GetRequiredService<DataVerifier>();
        var report = await verifier.VerifyAsync(new VerifyRequest(_data, [], [], 2), null, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(report.Skipped.Select(s => s[..s.IndexOf(':', StringComparison.Ordinal)]),
                Is.EquivalentTo(new[] { "DANGLING_1d.csv", "LOOPA_1d.csv", "LOOPB_1d.csv", "OUTSIDE_1d.csv" }));
            Assert.That(report.Unreadable, Has.None.Contain("LOOP").And.None.Contain("DANGLING"));
            Assert.That(report.Series.Single(c => c.Key.Symbol == "NUL").Matches, Is.True);
            Assert.That(report.Series.Single(c => c.Key.Symbol == "INSIDE").Matches, Is.True);
        });

        var followed = await verifier.VerifyAsync(new VerifyRequest(_data, ["OUTSIDE"], [], 1) { FollowSymlinks = true }, null, CancellationToken.None);
        Assert.That((followed.Skipped.Count, followed.Series.Single().CsvRows), Is.EqualTo((0, 4L)), "followed, compared (and absent from the database)");
    }

    [Test]
    public void The_migrate_all_job_which_logs_skipped_entries_is_still_activated_by_the_container() =>
        Assert.That(_server.Services.GetRequiredService<MigrateAllJob>(), Is.Not.Null);
}

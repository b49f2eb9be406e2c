using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Jobs;
using Ktrdr.Tests.Jobs.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Ktrdr.Tests.Jobs;

/// <summary>
/// Planning a migration from a data directory: the catalog (the real one, on a temporary directory) lists the files, and
/// nothing reaches a database or a job queue (an unresolvable data source and a job client that refuses).
/// </summary>
public sealed class MigrationPlannerTests
{
    private CsvFiles _files = null!;
    private NpgsqlDataSource _unreachable = null!;

    [SetUp]
    public void SetUp()
    {
        _files = new CsvFiles();
        _unreachable = NpgsqlDataSource.Create("Host=planner-never-connects.invalid;Timeout=1");
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        _files.Dispose();
        await _unreachable.DisposeAsync();
    }

    private MigrationPlanner Planner(ICsvCatalog? catalog = null)
    {
        var store = new MigrationRunStore(_unreachable);
        var jobs = new RefusingJobClient();
        return new MigrationPlanner(catalog ?? new CsvCatalog(), store, jobs, new RunCompletion(store, jobs, NullLogger<RunCompletion>.Instance));
    }

    private MigrationPlan Plan(IReadOnlyList<string>? timeframes = null, IReadOnlyList<string>? symbols = null) =>
        Planner().Plan(new MigrationRequest(_files.DataDir, Path.Combine(_files.DataDir, "report"), timeframes ?? [], symbols ?? []));

    [Test]
    public void Each_series_file_is_planned_in_symbol_then_timeframe_order_with_its_size_and_row_estimate()
    {
        var msft = _files.Write("MSFT_1h.csv", CsvFiles.Daily(3));
        var aaplDay = _files.Write("AAPL_1d.csv", CsvFiles.Daily(20));
        var aaplHour = _files.Write("AAPL_1h.csv", CsvFiles.Daily(7));

        var plan = Plan();

        Assert.Multiple(() =>
        {
            Assert.That(plan.Files.Select(f => (f.Symbol, f.Timeframe, f.Path)),
                Is.EqualTo(new[] { ("AAPL", "1d", aaplDay), ("AAPL", "1h", aaplHour), ("MSFT", "1h", msft) }));
            Assert.That(plan.Files.Select(f => f.EstimatedRows), Is.EqualTo(new[] { 20L, 7L, 3L }), "a small file is counted, not estimated");
            Assert.That(plan.Files[0].Size, Is.EqualTo(new FileInfo(aaplDay).Length));
            Assert.That(plan.Skipped, Is.Empty);
            Assert.That(plan.Warnings, Is.Empty);
        });
    }

    [Test]
    public void Files_not_named_as_a_series_and_compressed_files_are_skipped_with_what_to_do()
    {
        _files.Write("AAPL_1d.csv", CsvFiles.Daily(2));
        _files.WriteText("notes.csv", "free text\n");
        _files.WriteText("AAPL_daily.csv", CsvFiles.Header + "\n");
        _files.WriteText("MSFT_1d.csv.gz", "not really gzip");
        _files.WriteText("README.txt", "not a csv at all");

        var plan = Plan();

        Assert.Multiple(() =>
        {
            Assert.That(plan.Files.Select(f => f.Symbol), Is.EqualTo(new[] { "AAPL" }));
            Assert.That(plan.Skipped.Select(s => s.Name), Is.EqualTo(new[] { "AAPL_daily.csv", "MSFT_1d.csv.gz", "notes.csv" }), "sorted by name; README.txt is no candidate");
            Assert.That(plan.Skipped.Single(s => s.Name == "notes.csv").Reason, Does.Contain("SYMBOL_TIMEFRAME.csv").And.Contain("rename it"));
            Assert.That(plan.Skipped.Single(s => s.Name == "MSFT_1d.csv.gz").Reason, Does.Contain("gzip").And.Contain("decompress"));
        });
    }

    [Test]
    public void Only_the_requested_symbols_and_timeframes_are_planned()
    {
        _files.Write("AAPL_1d.csv", CsvFiles.Daily(2));
        _files.Write("AAPL_1h.csv", CsvFiles.Daily(2));
        _files.Write("MSFT_1d.csv", CsvFiles.Daily(2));

        var plan = Plan(timeframes: ["1d"], symbols: ["MSFT"]);

        Assert.That(plan.Files.Select(f => $"{f.Symbol} {f.Timeframe}"), Is.EqualTo(new[] { "MSFT 1d" }));
    }

    [Test]
    public void Symbols_that_differ_only_in_case_are_planned_apart_with_a_warning()
    {
        _files.Write("AAPL_1d.csv", CsvFiles.Daily(2));
        _files.Write("aapl_1h.csv", CsvFiles.Daily(2));

        var plan = Plan();

        Assert.That(plan.Files, Has.Count.EqualTo(2));
        Assert.That(plan.Warnings.Single(), Does.Contain("'aapl' differs only in case from 'AAPL'"));
    }

    [Test]
    public void The_files_come_from_the_injected_catalog()
    {
        var listed = _files.Write("LISTED_1d.csv", CsvFiles.Daily(2));
        _files.Write("UNLISTED_1d.csv", CsvFiles.Daily(2));

        var plan = Planner(new OneFileCatalog(new SeriesFile(new SeriesKey("LISTED", "1d"), listed)))
            .Plan(new MigrationRequest(_files.DataDir, _files.DataDir, [], []));

        Assert.That(plan.Files.Select(f => f.Symbol), Is.EqualTo(new[] { "LISTED" }));
    }

    [Test]
    public void A_missing_data_directory_fails_naming_it_and_the_setting()
    {
        var missing = Path.Combine(_files.DataDir, "nowhere");

        var error = Assert.Throws<DirectoryNotFoundException>(() => Planner().Plan(new MigrationRequest(missing, _files.DataDir, [], [])))!;

        Assert.That(error.Message, Does.Contain(missing).And.Contain("DATA_DIR"));
    }

    private sealed class OneFileCatalog(SeriesFile file) : ICsvCatalog
    {
        public IReadOnlyList<SeriesFile> ListFiles(string dataDir) => [file];
    }
}

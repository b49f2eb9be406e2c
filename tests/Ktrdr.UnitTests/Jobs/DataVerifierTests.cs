using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Jobs;
using Ktrdr.Jobs.Verification;
using Ktrdr.Tests.Jobs.Fakes;

namespace Ktrdr.Tests.Jobs;

/// <summary><c>./ktrdr verify</c> end to end over a temporary data directory, the database faked at its seams.</summary>
public sealed class DataVerifierTests
{
    private static readonly SeriesKey Aapl = new("AAPL", "1d");
    private static readonly SeriesKey Msft = new("MSFT", "1d");
    private static readonly SeriesKey Goog = new("GOOG", "1h");
    private CsvFiles _files = null!;
    private InMemoryStoredSeries _stored = null!;
    private PassingIntegrity _integrity = null!;

    [SetUp]
    public void SetUp()
    {
        _files = new CsvFiles();
        _files.Write("AAPL_1d.csv", CsvFiles.Daily(8));
        _files.Write("MSFT_1d.csv", CsvFiles.Daily(5));
        _files.WriteText("MSFT_1h.csv", "this is not a bar file\n");
        _stored = new InMemoryStoredSeries()
            .Add(Aapl, CsvFiles.Daily(8))
            .Add(Msft, CsvFiles.Daily(5).Where(b => b.Time.Day != 3))
            .Add(Goog, CsvFiles.Daily(2));
        _integrity = new PassingIntegrity(totalRows: 14);
    }

    [TearDown]
    public void TearDown() => _files.Dispose();

    private Task<VerificationReport> VerifyAsync(IReadOnlyList<string> symbols, IReadOnlyList<string> timeframes, List<VerifyProgress>? progress = null,
        string? dataDir = null) =>
        new DataVerifier(new SeriesComparer(_stored, new FixedRetention()), new CsvCatalog(), _stored, _integrity)
            .VerifyAsync(new VerifyRequest(dataDir ?? _files.DataDir, symbols, timeframes, Parallelism: 2), progress is null ? null : new ListProgress(progress), CancellationToken.None);

    [Test]
    public async Task Every_file_is_compared_and_a_series_only_in_the_database_is_listed_not_failed()
    {
        var progress = new List<VerifyProgress>();

        var report = await VerifyAsync([], [], progress);

        Assert.Multiple(() =>
        {
            Assert.That(report.Series.Select(s => (s.Key, s.Matches)), Is.EqualTo(new[] { (Aapl, true), (Msft, false) }), "in the catalog's order");
            Assert.That(report.Series[1].FirstDifferences.Single(), Is.EqualTo("2024-01-03T00:00:00Z in csv, missing in db"));
            Assert.That(report.Unreadable.Single(), Does.StartWith("MSFT 1h: "));
            Assert.That(report.DatabaseOnly, Is.EqualTo(new[] { Goog }));
            Assert.That(report.RowsCompared, Is.EqualTo(13));
            Assert.That(report.Passed, Is.False);
            Assert.That(_integrity.Runs, Is.EqualTo(1));
            Assert.That(progress.Select(p => p.SeriesDone).Order(), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(progress, Has.All.Matches<VerifyProgress>(p => p.SeriesTotal == 3));
        });
    }

    [Test]
    public async Task A_selection_compares_and_lists_only_its_series()
    {
        var report = await VerifyAsync(["AAPL", "GOOG"], ["1d"]);

        Assert.Multiple(() =>
        {
            Assert.That(report.Series.Select(s => s.Key), Is.EqualTo(new[] { Aapl }));
            Assert.That(report.DatabaseOnly, Is.Empty, "GOOG 1h is not a selected timeframe");
            Assert.That(report.Passed, Is.True);
            Assert.That(_stored.Reads.Select(r => r.Key), Is.EqualTo(new[] { Aapl }), "MSFT is never read");
        });
    }

    [Test]
    public void A_missing_data_directory_fails_before_anything_is_read()
    {
        Assert.ThrowsAsync<DirectoryNotFoundException>(() => VerifyAsync([], [], dataDir: Path.Combine(_files.DataDir, "nowhere")));
        Assert.That(_stored.Reads, Is.Empty);
        Assert.That(_integrity.Runs, Is.Zero);
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool, so a test could read before it lands).</summary>
    private sealed class ListProgress(List<VerifyProgress> list) : IProgress<VerifyProgress>
    {
        public void Report(VerifyProgress value)
        {
            lock (list)
            {
                list.Add(value);
            }
        }
    }
}

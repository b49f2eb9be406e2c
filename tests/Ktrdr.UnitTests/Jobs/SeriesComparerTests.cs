using Ktrdr.Backends;
using Ktrdr.Jobs;
using Ktrdr.Tests.Jobs.Fakes;

namespace Ktrdr.Tests.Jobs;

/// <summary>The comparison of a CSV file with the stored bars, the database faked at its read seam.</summary>
public sealed class SeriesComparerTests
{
    private static readonly SeriesKey Key = new("AAPL", "1d");
    private CsvFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new CsvFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    private static Task<SeriesComparison> CompareAsync(InMemoryStoredSeries stored, string path, DateTime? retentionCutoff = null,
        ImportRange? range = null, DateTime? leftOutBefore = null) =>
        new SeriesComparer(stored, new FixedRetention(retentionCutoff)).CompareAsync(Key, path, range ?? ImportRange.All, leftOutBefore, CancellationToken.None);

    [Test]
    public async Task An_identical_series_matches_with_equal_counts_and_bounds()
    {
        var bars = CsvFiles.Daily(10);
        var path = _files.Write("AAPL_1d.csv", bars);

        var result = await CompareAsync(new InMemoryStoredSeries().Add(Key, bars), path);

        Assert.Multiple(() =>
        {
            Assert.That(result.Matches, Is.True, result.Summary);
            Assert.That(result.CsvRows, Is.EqualTo(10));
            Assert.That(result.DbRows, Is.EqualTo(10));
            Assert.That(result.Mismatches, Is.Zero);
            Assert.That(result.CsvFirst, Is.EqualTo(bars[0].Time));
            Assert.That(result.DbLast, Is.EqualTo(bars[^1].Time));
            Assert.That(result.FirstDifferences, Is.Empty);
        });
    }

    [Test]
    public async Task A_bar_missing_in_the_database_is_reported_with_its_time()
    {
        var bars = CsvFiles.Daily(10);
        var path = _files.Write("AAPL_1d.csv", bars);

        var result = await CompareAsync(new InMemoryStoredSeries().Add(Key, bars.Where((_, i) => i != 4)), path);

        Assert.Multiple(() =>
        {
            Assert.That(result.Matches, Is.False);
            Assert.That(result.Mismatches, Is.EqualTo(1));
            Assert.That((result.CsvRows, result.DbRows), Is.EqualTo((10L, 9L)));
            Assert.That(result.FirstDifferences, Is.EqualTo(new[] { "2024-01-05T00:00:00Z in csv, missing in db" }));
        });
    }

    [Test]
    public async Task An_extra_bar_in_the_database_is_reported_with_its_time()
    {
        var bars = CsvFiles.Daily(10);
        var path = _files.Write("AAPL_1d.csv", bars);

        var result = await CompareAsync(new InMemoryStoredSeries().Add(Key, bars).Add(Key, CsvFiles.Daily(1, from: 20)), path);

        Assert.Multiple(() =>
        {
            Assert.That(result.Matches, Is.False);
            Assert.That(result.Mismatches, Is.EqualTo(1));
            Assert.That((result.CsvRows, result.DbRows), Is.EqualTo((10L, 11L)));
            Assert.That(result.FirstDifferences, Is.EqualTo(new[] { "2024-01-21T00:00:00Z in db, not in csv" }));
        });
    }

    [Test]
    public async Task A_bar_whose_values_differ_is_reported_with_both_values()
    {
        var bars = CsvFiles.Daily(10);
        var path = _files.Write("AAPL_1d.csv", bars);
        var stored = bars.ToList();
        stored[2] = stored[2] with { Close = 102.25 };

        var result = await CompareAsync(new InMemoryStoredSeries().Add(Key, stored), path);

        Assert.Multiple(() =>
        {
            Assert.That(result.Matches, Is.False, "same count, one value differs");
            Assert.That((result.CsvRows, result.DbRows, result.Mismatches), Is.EqualTo((10L, 10L, 1L)));
            Assert.That(result.FirstDifferences, Is.EqualTo(new[] { "2024-01-03T00:00:00Z csv (102,103,101,102.5,1002) != db (102,103,101,102.25,1002)" }));
        });
    }

    [Test]
    public async Task Bars_before_the_retention_cutoff_missing_in_the_database_are_removed_by_policy_not_differences()
    {
        var bars = CsvFiles.Daily(10);
        var path = _files.Write("AAPL_1d.csv", bars);
        var stored = new InMemoryStoredSeries().Add(Key, bars.Skip(3));

        var withPolicy = await CompareAsync(stored, path, retentionCutoff: bars[3].Time);
        var withoutPolicy = await CompareAsync(stored, path);

        Assert.Multiple(() =>
        {
            Assert.That(withPolicy.Matches, Is.True, withPolicy.Summary);
            Assert.That(withPolicy.RemovedByRetention, Is.EqualTo(3));
            Assert.That(withPolicy.RetentionCutoff, Is.EqualTo(bars[3].Time));
            Assert.That(withPolicy.CsvRows, Is.EqualTo(7), "bars removed by policy are not compared");
            Assert.That(withPolicy.Summary, Does.Contain("3 bars before the retention cutoff"));
            Assert.That(withoutPolicy.Matches, Is.False, "without a policy the same gap is damage");
            Assert.That(withoutPolicy.Mismatches, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task A_runs_own_retention_cutoff_counts_like_the_policys_and_the_later_of_both_applies()
    {
        var bars = CsvFiles.Daily(10);
        var path = _files.Write("AAPL_1d.csv", bars);
        var stored = new InMemoryStoredSeries().Add(Key, bars.Skip(5));

        var result = await CompareAsync(stored, path, retentionCutoff: bars[2].Time, leftOutBefore: bars[5].Time);

        Assert.That((result.Matches, result.RemovedByRetention, result.RetentionCutoff), Is.EqualTo((true, 5L, (DateTime?)bars[5].Time)), result.Summary);
    }

    [Test]
    public async Task A_stored_bar_before_the_cutoff_is_still_compared()
    {
        var bars = CsvFiles.Daily(10);
        var path = _files.Write("AAPL_1d.csv", bars);
        var stored = bars.ToList();
        stored[1] = stored[1] with { Open = 1 };

        var result = await CompareAsync(new InMemoryStoredSeries().Add(Key, stored), path, retentionCutoff: bars[5].Time);

        Assert.That((result.Matches, result.Mismatches, result.RemovedByRetention), Is.EqualTo((false, 1L, 0L)));
    }

    [Test]
    public async Task Lines_the_migration_rejects_are_expected_absences_not_differences()
    {
        var bars = CsvFiles.Daily(5);
        var path = _files.Write("AAPL_1d.csv", bars, "2024-02-01,not-a-number,1,1,1,1", bars[^1].Time.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + ",1,2,0.5,1.5,9");

        var result = await CompareAsync(new InMemoryStoredSeries().Add(Key, bars), path);

        Assert.That(result.Matches, Is.True, result.Summary);
        Assert.That(result.ExpectedAbsent, Is.EqualTo(2), "a bad value and a repeated timestamp");
    }

    [Test]
    public async Task A_range_compares_only_its_bars_and_reads_only_them_from_the_database()
    {
        var bars = CsvFiles.Daily(10);
        var path = _files.Write("AAPL_1d.csv", bars);
        var stored = new InMemoryStoredSeries().Add(Key, bars.Skip(2).Take(3));
        var range = new ImportRange(bars[2].Time, bars[5].Time);

        var result = await CompareAsync(stored, path, range: range);

        Assert.Multiple(() =>
        {
            Assert.That(result.Matches, Is.True, result.Summary);
            Assert.That((result.CsvRows, result.OutsideRange), Is.EqualTo((3L, 7L)));
            Assert.That(stored.Reads.Single(), Is.EqualTo((Key, (DateTime?)bars[2].Time, (DateTime?)bars[5].Time)));
        });
    }

    [Test]
    public async Task An_unsorted_file_is_compared_in_time_order()
    {
        var bars = CsvFiles.Daily(6);
        var shuffled = new[] { bars[3], bars[0], bars[5], bars[1], bars[4], bars[2] };
        var path = _files.Write("AAPL_1d.csv", shuffled);

        var result = await CompareAsync(new InMemoryStoredSeries().Add(Key, bars), path);

        Assert.That((result.Matches, result.CsvRows), Is.EqualTo((true, 6L)), result.Summary);
    }
}

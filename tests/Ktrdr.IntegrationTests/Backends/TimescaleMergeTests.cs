using Dapper;
using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;
using Ktrdr.Tests.Infrastructure;
using Npgsql;

namespace Ktrdr.Tests.Backends;

/// <summary>
/// Saving into a series that already has bars: input in time order is walked alongside the stored bars (pages of
/// 32,768), anything else is staged and merged. Both must give the same counts and never overwrite a stored bar.
/// </summary>
public sealed class TimescaleMergeTests
{
    private static readonly SeriesKey Key = new("MRG", "5m");
    // Recent bars (the 120,000 run into the future): the compression policy compresses bars older than 30 days in the
    // background, and xmin, which shows that a re-run writes nothing, cannot be read from compressed chunks.
    private static readonly DateTime Start = DateTime.UtcNow.Date.AddDays(-7);
    private TestDatabase _db = null!;

    private TimescaleBackend Backend => _db.Backend;

    [OneTimeSetUp]
    public async Task CreateDatabase() => _db = await TestDatabase.CreateAsync("merge");

    [OneTimeTearDown]
    public async Task Dispose() => await _db.DisposeAsync();

    [SetUp]
    public async Task Empty()
    {
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        await connection.ExecuteAsync("TRUNCATE price_data");
    }

    private static Bar BarAt(int i, double shift = 0)
    {
        var p = 100 + (i % 500) * 0.25 + shift;
        return new Bar(Start.AddMinutes(5 * i), p, p + 1, p - 1, p + 0.5, 1000 + i);
    }

    private static IEnumerable<Bar> Bars(IEnumerable<int> indexes, Func<int, double>? shift = null) =>
        indexes.Select(i => BarAt(i, shift?.Invoke(i) ?? 0));

    private Task<SaveResult> SaveAsync(IEnumerable<Bar> bars) => Backend.SaveAsync(Key, bars.ToAsyncEnumerable(), CancellationToken.None);

    private async Task<List<Bar>> StoredAsync() => await Backend.LoadAsync(Key, null, null, CancellationToken.None).ToListAsync();

    private static (long, long, long) Counts(SaveResult r) => (r.Inserted, r.AlreadyPresent, r.Conflicting);

    [Test]
    public async Task A_rerun_of_bars_in_time_order_over_several_pages_counts_every_bar_present_and_writes_nothing()
    {
        await SaveAsync(Bars(Enumerable.Range(0, 100_000)));
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        var before = await connection.ExecuteScalarAsync<long>("SELECT max(xmin::text::bigint) FROM price_data");

        var again = await SaveAsync(Bars(Enumerable.Range(0, 100_000)));

        Assert.That(Counts(again), Is.EqualTo((0L, 100_000L, 0L)));
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT max(xmin::text::bigint) FROM price_data"), Is.EqualTo(before), "no row may be written again");
    }

    [Test]
    public async Task Bars_in_time_order_fill_gaps_append_and_count_conflicts_across_page_boundaries_without_overwriting()
    {
        var stored = Enumerable.Range(0, 100_000).Where(i => i % 1000 != 7).ToList();
        await SaveAsync(Bars(stored));
        int[] changed = [32_767, 32_768, 32_769, 65_535, 65_536, 99_999];
        var incoming = Bars(Enumerable.Range(0, 120_000), i => changed.Contains(i) ? 0.125 : 0).ToList();

        var result = await SaveAsync(incoming);

        Assert.That(Counts(result), Is.EqualTo((100L + 20_000L, 100_000L - 100 - changed.Length, (long)changed.Length)));
        Assert.That(result.FirstConflicts, Is.EqualTo(changed.Select(i => BarAt(i, 0.125)).ToList()));
        Assert.That(await StoredAsync(), Is.EqualTo(Bars(Enumerable.Range(0, 120_000)).ToList()), "conflicting bars keep their stored values");
    }

    [Test]
    public async Task Bars_before_the_first_stored_bar_are_inserted_in_time_order()
    {
        await SaveAsync(Bars(Enumerable.Range(1000, 1000)));
        var result = await SaveAsync(Bars(Enumerable.Range(0, 3000)));
        Assert.That(Counts(result), Is.EqualTo((2000L, 1000L, 0L)));
        Assert.That(await StoredAsync(), Is.EqualTo(Bars(Enumerable.Range(0, 3000)).ToList()));
    }

    [Test]
    public async Task A_file_covering_the_start_of_a_longer_stored_series_counts_its_bars_present()
    {
        await SaveAsync(Bars(Enumerable.Range(0, 100_000)));
        var result = await SaveAsync(Bars(Enumerable.Range(0, 1000)));
        Assert.That(Counts(result), Is.EqualTo((0L, 1000L, 0L)));
    }

    [Test]
    public async Task Bars_out_of_time_order_are_staged_and_merged_with_the_same_counts_as_in_order()
    {
        await SaveAsync(Bars(Enumerable.Range(0, 1000)));
        var shuffled = Bars(Enumerable.Range(0, 1500), i => i is 10 or 500 or 999 ? 1 : 0).OrderBy(b => (b.Time.Ticks * 7919) % 1013).ToList();

        var result = await SaveAsync(shuffled);

        Assert.That(Counts(result), Is.EqualTo((500L, 997L, 3L)));
        Assert.That(result.FirstConflicts.Select(b => b.Time), Is.EqualTo(new[] { 10, 500, 999 }.Select(i => BarAt(i).Time)));
        Assert.That(await StoredAsync(), Is.EqualTo(Bars(Enumerable.Range(0, 1500)).ToList()));
    }

    [Test]
    public async Task A_save_that_fails_half_way_stores_none_of_its_new_bars()
    {
        await SaveAsync(Bars(Enumerable.Range(0, 1000)));

        Assert.ThrowsAsync<IOException>(() => Backend.SaveAsync(Key, FailingAfter(Bars(Enumerable.Range(500, 2000)), 1500), CancellationToken.None));

        Assert.That(await StoredAsync(), Is.EqualTo(Bars(Enumerable.Range(0, 1000)).ToList()));
        Assert.That(Counts(await SaveAsync(Bars(Enumerable.Range(500, 2000)))), Is.EqualTo((1500L, 500L, 0L)), "a retry sees nothing half-written");
    }

    private static async IAsyncEnumerable<Bar> FailingAfter(IEnumerable<Bar> bars, int count)
    {
        var n = 0;
        foreach (var bar in bars)
        {
            if (n++ == count)
            {
                throw new IOException("the file became unreadable");
            }

            await Task.Yield();
            yield return bar;
        }
    }
}

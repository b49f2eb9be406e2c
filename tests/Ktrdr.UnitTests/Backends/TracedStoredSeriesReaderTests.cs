using System.Diagnostics;
using Ktrdr.Backends;
using Ktrdr.Backends.Telemetry;
using Ktrdr.Tests.Jobs.Fakes;

namespace Ktrdr.Tests.Backends;

/// <summary>The load span of the stored-read seam, added by its decorator around an in-memory reader.</summary>
public sealed class TracedStoredSeriesReaderTests
{
    private static readonly SeriesKey Key = new("TRACED", "1d");

    [Test]
    public async Task A_stored_read_is_one_load_span_with_its_series_and_the_rows_read()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == KtrdrActivity.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var reader = new TracedStoredSeriesReader(new InMemoryStoredSeries().Add(Key, CsvFiles.Daily(4)));

        var bars = await reader.LoadStoredAsync(Key, null, null, CancellationToken.None).ToListAsync();

        var load = spans.Single(s => (string?)s.GetTagItem(KtrdrActivity.Symbol) == Key.Symbol);
        Assert.Multiple(() =>
        {
            Assert.That(bars, Has.Count.EqualTo(4));
            Assert.That(load.DisplayName, Is.EqualTo(KtrdrActivity.LoadData));
            Assert.That(load.GetTagItem(KtrdrActivity.RowsLoaded), Is.EqualTo(4L));
        });
    }

    [Test]
    public async Task The_range_and_the_series_list_pass_through_unchanged()
    {
        var inner = new InMemoryStoredSeries().Add(Key, CsvFiles.Daily(3));
        var reader = new TracedStoredSeriesReader(inner);

        var from = CsvFiles.Daily(2)[1].Time;
        var bars = await reader.LoadStoredAsync(Key, from, null, CancellationToken.None).ToListAsync();

        Assert.That(bars, Is.EqualTo(CsvFiles.Daily(3).Skip(1)));
        Assert.That(inner.Reads.Single(), Is.EqualTo((Key, (DateTime?)from, (DateTime?)null)));
        Assert.That(await reader.ListSeriesAsync(CancellationToken.None), Is.EqualTo(new[] { Key }));
    }
}

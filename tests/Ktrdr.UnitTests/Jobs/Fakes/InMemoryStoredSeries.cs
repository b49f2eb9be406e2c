using System.Runtime.CompilerServices;
using Ktrdr.Backends;

namespace Ktrdr.Tests.Jobs.Fakes;

/// <summary>The database's stored series, in memory: what a test puts in is what the subject reads back, in time order.</summary>
internal sealed class InMemoryStoredSeries : IStoredSeriesReader
{
    private readonly SortedDictionary<SeriesKey, SortedDictionary<DateTime, Bar>> _series =
        new(Comparer<SeriesKey>.Create((a, b) => string.CompareOrdinal(a.Symbol, b.Symbol) is var c and not 0 ? c : string.CompareOrdinal(a.Timeframe, b.Timeframe)));

    /// <summary>Series read so far, to prove a range or a filter held.</summary>
    public List<(SeriesKey Key, DateTime? Start, DateTime? End)> Reads { get; } = [];

    public InMemoryStoredSeries Add(SeriesKey key, IEnumerable<Bar> bars)
    {
        if (!_series.TryGetValue(key, out var stored))
        {
            _series[key] = stored = [];
        }

        foreach (var bar in bars)
        {
            stored[bar.Time] = bar;
        }

        return this;
    }

    public Task<IReadOnlyList<SeriesKey>> ListSeriesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SeriesKey>>(_series.Where(s => s.Value.Count > 0).Select(s => s.Key).ToList());

    public async IAsyncEnumerable<Bar> LoadStoredAsync(SeriesKey key, DateTime? start, DateTime? end,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        lock (Reads)
        {
            // The verifier compares several series at once.
            Reads.Add((key, start, end));
        }

        await Task.Yield();
        if (!_series.TryGetValue(key, out var stored))
        {
            yield break;
        }

        foreach (var bar in stored.Values.Where(b => (start is not { } s || b.Time >= s) && (end is not { } e || b.Time < e)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return bar;
        }
    }
}

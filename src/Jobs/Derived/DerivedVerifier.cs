using System.Globalization;
using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;

namespace Ktrdr.Jobs.Derived;

/// <summary>
/// Checks every derived series the configuration gives (each derivation, each symbol with source bars) against
/// <see cref="DerivedBarAggregator"/> over its source bars: what a stale or tampered continuous aggregate, or a source
/// changed without a refresh, would serve differently. Reads only; one ordered pass per series on each side.
/// Open, high, low and close must be equal; volumes equal within a relative 1e-9 (a sum of fractional volumes in
/// another order may differ in the last bits; whole volumes are exact).
/// </summary>
public sealed class DerivedVerifier(IStoredSeriesReader stored, IDerivedBarReader derived)
{
    private const int DifferencesShown = 5;

    /// <summary>The checks of the derived series selected by <paramref name="symbols"/> and target <paramref name="timeframes"/> (empty: all).</summary>
    public async Task<IReadOnlyList<DerivedCheck>> VerifyAsync(IReadOnlyList<string> symbols, IReadOnlyList<string> timeframes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(timeframes);
        if (derived.Derivations.Count == 0)
        {
            return [];
        }

        var series = await stored.ListSeriesAsync(cancellationToken);
        var checks = new List<DerivedCheck>();
        foreach (var d in derived.Derivations)
        {
            foreach (var source in series.Where(s => s.Timeframe == d.Source && new SeriesKey(s.Symbol, d.Target).IsSelectedBy(symbols, timeframes)))
            {
                checks.Add(await CheckAsync(source.Symbol, d, cancellationToken));
            }
        }

        return checks;
    }

    /// <summary>One derived series against its recomputed aggregation.</summary>
    public async Task<DerivedCheck> CheckAsync(string symbol, Derivation derivation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(derivation);
        var expected = DerivedBarAggregator.AggregateAsync(
            stored.LoadStoredAsync(new SeriesKey(symbol, derivation.Source), null, null, cancellationToken), derivation, cancellationToken);
        var served = derived.LoadDerivedAsync(symbol, derivation, null, null, cancellationToken);
        long expectedCount = 0, servedCount = 0, missing = 0, extra = 0, differing = 0;
        var first = new List<string>();
        await foreach (var (want, got) in BarMerge.JoinAsync(expected, served, cancellationToken))
        {
            expectedCount += want is null ? 0 : 1;
            servedCount += got is null ? 0 : 1;
            string? difference = (want, got) switch
            {
                ({ } w, null) => $"{Time(w.Time)} missing (expected {Text(w)})",
                (null, { } g) => $"{Time(g.Time)} not in the aggregation of the source (served {Text(g)})",
                ({ } w, { } g) when !Same(w, g) => $"{Time(w.Time)} served {Text(g)}, expected {Text(w)}",
                _ => null,
            };
            if (difference is null)
            {
                continue;
            }

            missing += got is null ? 1 : 0;
            extra += want is null ? 1 : 0;
            differing += want is not null && got is not null ? 1 : 0;
            if (first.Count < DifferencesShown)
            {
                first.Add(difference);
            }
        }

        return new DerivedCheck(new SeriesKey(symbol, derivation.Target), derivation.Source, expectedCount, servedCount, missing, extra, differing, first);
    }

    /// <summary>Open, high, low, close equal; volume within a relative 1e-9.</summary>
    public static bool Same(Bar a, Bar b) =>
        a.Open.Equals(b.Open) && a.High.Equals(b.High) && a.Low.Equals(b.Low) && a.Close.Equals(b.Close)
        && (a.Volume.Equals(b.Volume) || Math.Abs(a.Volume - b.Volume) <= 1e-9 * Math.Max(Math.Abs(a.Volume), Math.Abs(b.Volume)));

    private static string Time(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Text(Bar b) => string.Create(CultureInfo.InvariantCulture, $"o={b.Open:R} h={b.High:R} l={b.Low:R} c={b.Close:R} v={b.Volume:R}");
}

using System.Runtime.CompilerServices;
using Ktrdr.Backends;
using Ktrdr.Backends.Timescale;

namespace Ktrdr.Jobs.Derived;

/// <summary>
/// The aggregation of derived timeframes recomputed in C#, from source bars read in time order, for checking what the
/// database serves (never the same SQL): per bucket of <see cref="Derivation.Floor"/>, open of the first bar, highest
/// high, lowest low, close of the last bar, and the sum of volumes in time order, or -1 when any bar has the -1
/// "no volume" sentinel.
/// </summary>
public static class DerivedBarAggregator
{
    /// <summary>The derived bars of <paramref name="source"/>, in time order; one pass, memory flat in length.</summary>
    /// <exception cref="InvalidDataException">The source bars are not in strictly ascending time order.</exception>
    public static async IAsyncEnumerable<Bar> AggregateAsync(IAsyncEnumerable<Bar> source, Derivation derivation,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(derivation);
        Bar? current = null;
        var previous = DateTime.MinValue;
        var noVolume = false;
        await foreach (var bar in source.WithCancellation(cancellationToken))
        {
            if (bar.Time <= previous && current is not null)
            {
                throw new InvalidDataException($"source bars out of order at {bar.Time:O} (after {previous:O})");
            }

            previous = bar.Time;
            var bucket = derivation.Floor(bar.Time);
            if (current is { } c && c.Time == bucket)
            {
                noVolume |= bar.Volume < 0;
                current = c with
                {
                    High = Math.Max(c.High, bar.High),
                    Low = Math.Min(c.Low, bar.Low),
                    Close = bar.Close,
                    Volume = c.Volume + bar.Volume,
                };
                continue;
            }

            if (current is { } done)
            {
                yield return noVolume ? done with { Volume = -1 } : done;
            }

            noVolume = bar.Volume < 0;
            current = bar with { Time = bucket };
        }

        if (current is { } last)
        {
            yield return noVolume ? last with { Volume = -1 } : last;
        }
    }
}

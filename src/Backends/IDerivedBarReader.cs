using Ktrdr.Backends.Timescale;

namespace Ktrdr.Backends;

/// <summary>The derived timeframes the store is configured to serve, and their bars (<c>KTRDR_DERIVED_TIMEFRAMES</c>).</summary>
public interface IDerivedBarReader
{
    /// <summary>The configured derivations, in order of preference; empty when none are configured.</summary>
    IReadOnlyList<Derivation> Derivations { get; }

    /// <summary>
    /// Streams the derived bars of <paramref name="derivation"/> for <paramref name="symbol"/> in time order, even where
    /// a stored series of that timeframe wins when served. Read-only.
    /// </summary>
    /// <exception cref="InvalidOperationException">No derived timeframes are configured.</exception>
    IAsyncEnumerable<Bar> LoadDerivedAsync(string symbol, Derivation derivation, DateTime? start, DateTime? end, CancellationToken cancellationToken);
}

namespace Ktrdr.Backends;

/// <summary>What a store holds.</summary>
public interface ISeriesCatalog
{
    /// <summary>Symbols in the store, sorted ordinally; only those with data in <paramref name="timeframe"/> when given.</summary>
    Task<IReadOnlyList<string>> ListSymbolsAsync(string? timeframe, CancellationToken cancellationToken);

    /// <summary>First and last bar time of <paramref name="key"/>, or null when the series has no bars.</summary>
    Task<DateRange?> GetDateRangeAsync(SeriesKey key, CancellationToken cancellationToken);
}

namespace Ktrdr.Backends;

/// <summary>A symbol/timeframe pair: the unit of storage, migration and verification.</summary>
public readonly record struct SeriesKey(string Symbol, string Timeframe)
{
    /// <summary>Whether this series is among <paramref name="symbols"/> and <paramref name="timeframes"/>; an empty list selects all.</summary>
    public bool IsSelectedBy(IReadOnlyList<string> symbols, IReadOnlyList<string> timeframes) =>
        (symbols.Count == 0 || symbols.Contains(Symbol)) && (timeframes.Count == 0 || timeframes.Contains(Timeframe));

    public override string ToString() => $"{Symbol} {Timeframe}";
}

namespace Ktrdr.Backends;

/// <summary>A symbol/timeframe pair: the unit of storage, migration and verification.</summary>
public readonly record struct SeriesKey(string Symbol, string Timeframe)
{
    public override string ToString() => $"{Symbol} {Timeframe}";
}

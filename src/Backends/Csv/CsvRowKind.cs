namespace Ktrdr.Backends.Csv;

/// <summary>What a data line of a CSV file turned out to be.</summary>
public enum CsvRowKind
{
    /// <summary>A bar that may be stored.</summary>
    Bar,

    /// <summary>The same timestamp and values as the line before it: nothing new to store.</summary>
    Duplicate,

    /// <summary>Bad input: kept out of the store and reported with its reason.</summary>
    Rejected,
}

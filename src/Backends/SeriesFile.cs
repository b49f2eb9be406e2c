namespace Ktrdr.Backends;

/// <summary>A series and the CSV file that holds it.</summary>
/// <param name="Key">The series its name gives.</param>
/// <param name="Path">The file: the data directory joined with its name (not resolved further).</param>
public sealed record SeriesFile(SeriesKey Key, string Path);

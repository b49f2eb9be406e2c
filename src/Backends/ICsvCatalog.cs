namespace Ktrdr.Backends;

/// <summary>The series files of a CSV data directory (one <c>{SYMBOL}_{TIMEFRAME}.csv</c> per series).</summary>
public interface ICsvCatalog
{
    /// <summary>
    /// Every file of <paramref name="dataDir"/> named as a series with a valid symbol and timeframe, sorted by symbol
    /// then timeframe; other files are not listed. Reads only the directory, not the files.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    IReadOnlyList<SeriesFile> ListFiles(string dataDir);
}

namespace Ktrdr.Backends.Csv;

/// <summary>Lists the series files of a data directory from their names alone; stateless, so one serves every directory.</summary>
public sealed class CsvCatalog : ICsvCatalog
{
    /// <inheritdoc />
    public IReadOnlyList<SeriesFile> ListFiles(string dataDir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDir);
        if (!Directory.Exists(dataDir))
        {
            throw new DirectoryNotFoundException($"data directory '{dataDir}' does not exist; set DATA_DIR or --data-dir");
        }

        return Directory.EnumerateFiles(dataDir, "*.csv")
            .Select(path => (path, name: Path.GetFileNameWithoutExtension(path)))
            .Select(x => (x.path, x.name, cut: x.name.LastIndexOf('_')))
            .Where(x => x.cut > 0)
            .Select(x => new SeriesFile(new SeriesKey(x.name[..x.cut], x.name[(x.cut + 1)..]), x.path))
            .Where(f => SeriesNames.IsValidSymbol(f.Key.Symbol) && SeriesNames.IsValidTimeframe(f.Key.Timeframe))
            .OrderBy(f => f.Key.Symbol, StringComparer.Ordinal).ThenBy(f => f.Key.Timeframe, StringComparer.Ordinal)
            .ToList();
    }
}

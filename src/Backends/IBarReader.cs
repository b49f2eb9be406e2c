namespace Ktrdr.Backends;

/// <summary>Reads bars of one series.</summary>
public interface IBarReader
{
    /// <summary>
    /// Streams the bars of <paramref name="key"/> in ascending time order, within [<paramref name="start"/>, <paramref name="end"/>)
    /// when given. An unknown series yields nothing.
    /// </summary>
    IAsyncEnumerable<Bar> LoadAsync(SeriesKey key, DateTime? start, DateTime? end, CancellationToken cancellationToken);
}

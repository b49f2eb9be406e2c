namespace Ktrdr.Backends;

/// <summary>Writes bars of one series.</summary>
public interface IBarWriter
{
    /// <summary>
    /// Stores <paramref name="bars"/> for <paramref name="key"/>. Idempotent: bars already stored with equal values are
    /// counted, not written again; bars stored with other values are counted as conflicts and left untouched.
    /// </summary>
    Task<SaveResult> SaveAsync(SeriesKey key, IAsyncEnumerable<Bar> bars, CancellationToken cancellationToken);
}

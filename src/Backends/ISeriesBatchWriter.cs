namespace Ktrdr.Backends;

/// <summary>Writes one batch of a series' bars in one transaction, with whatever the caller commits alongside.</summary>
public interface ISeriesBatchWriter
{
    /// <summary>
    /// Stores <paramref name="bars"/> (in any order) for <paramref name="key"/> in one transaction and calls
    /// <paramref name="beforeCommit"/> inside it, once, after the bars are written. Idempotent: bars already stored
    /// with equal values are counted present and not written again; bars stored with other values are counted
    /// conflicting and left untouched; every bar given lands in exactly one count of the result. Keep a batch within
    /// a bounded number of chunks (<see cref="IPriceTableFacts.ChunkIntervalAsync"/>): a transaction locks every chunk it writes.
    /// </summary>
    /// <exception cref="System.Data.Common.DbException">The server refused the batch; nothing of it, nor of <paramref name="beforeCommit"/>, is stored.</exception>
    Task<SaveResult> SaveBatchAsync(SeriesKey key, IReadOnlyList<Bar> bars, BatchCommitting? beforeCommit, CancellationToken cancellationToken);
}

using System.Data.Common;

namespace Ktrdr.Jobs;

/// <summary>Keeps, inside a batch's transaction, what an import must commit together with the batch's bars.</summary>
public interface IImportBatchStore
{
    /// <summary>
    /// Stores the batch's rejected lines and the resume point after it on <paramref name="connection"/>, within the
    /// transaction open on it: they commit or roll back with the batch. Idempotent per (item, line) for the lines.
    /// </summary>
    Task SaveAsync(DbConnection connection, long itemId, IReadOnlyList<RejectedRow> rejected, ImportCheckpoint checkpoint, CancellationToken cancellationToken);
}

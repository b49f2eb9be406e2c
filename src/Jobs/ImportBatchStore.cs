using System.Data.Common;
using Npgsql;

namespace Ktrdr.Jobs;

/// <summary>A batch's rejected lines in <c>rejected_rows</c> and its resume point in <c>migration_items.checkpoint</c>.</summary>
public sealed class ImportBatchStore : IImportBatchStore
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException">The connection is not PostgreSQL's, where the run's tables are.</exception>
    public async Task SaveAsync(DbConnection connection, long itemId, IReadOnlyList<RejectedRow> rejected, ImportCheckpoint checkpoint,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var postgres = connection as NpgsqlConnection
            ?? throw new ArgumentException($"a batch's rejected lines and resume point are kept in PostgreSQL, not on a {connection?.GetType().Name ?? "missing"} connection", nameof(connection));
        await RejectedRowStore.AddAsync(postgres, rejected, cancellationToken);
        await MigrationRunStore.SaveCheckpointAsync(postgres, itemId, checkpoint, cancellationToken);
    }
}

using System.Data.Common;
using Ktrdr.Jobs;

namespace Ktrdr.Tests.Jobs.Import;

/// <summary>Keeps what the importer stores with each batch, and whether it was stored inside the writer's transaction.</summary>
internal sealed class InMemoryImportBatchStore(InMemorySeriesWriter writer) : IImportBatchStore
{
    public List<RejectedRow> Rejected { get; } = [];

    public List<ImportCheckpoint> Checkpoints { get; } = [];

    public List<bool> SavedInTransaction { get; } = [];

    public Task SaveAsync(DbConnection connection, long itemId, IReadOnlyList<RejectedRow> rejected, ImportCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        Rejected.AddRange(rejected);
        Checkpoints.Add(checkpoint);
        SavedInTransaction.Add(writer.InTransaction);
        return Task.CompletedTask;
    }
}

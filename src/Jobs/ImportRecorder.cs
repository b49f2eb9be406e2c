using Ktrdr.Backends;

namespace Ktrdr.Jobs;

/// <summary>
/// Records an import's way through its file: each batch's rejected lines and the resume point after it, and the
/// progress. The first two are written by <see cref="BeforeCommit"/>, the hook the writer runs inside the batch's
/// transaction: a batch whose bars committed without its resume point would be imported again on resume, and its bars
/// then counted a second time, as already present, so the file's counts would no longer be its lines; and a resume point
/// committed without its bars would skip lines never stored. Progress, in contrast, is only a display: it is reported
/// as lines are read (<see cref="ReportProgressAsync"/>, between the writer's transactions, on a connection of its own),
/// so that a slow or failing progress write never holds a batch's locks or rolls it back.
/// </summary>
internal sealed class ImportRecorder(MigrationItem item, ImportCheckpoint start, IImportBatchStore store, Func<long, Task> progress)
{
    private ImportCheckpoint? _pending;

    /// <summary>The counts and resume point as of the last committed batch (the resume point it started from before any).</summary>
    public ImportCheckpoint Committed { get; private set; } = start;

    /// <summary>
    /// The hook for the writer's transaction of <paramref name="batch"/>: stores its rejected lines and the resume point
    /// after it, computed from what the writer did with its bars. Throws, so that nothing commits, when the writer did not
    /// account for every bar.
    /// </summary>
    public BatchCommitting BeforeCommit(ImportBatch batch) => async (connection, saved, cancellationToken) =>
    {
        var next = batch.After(Committed, saved);
        await store.SaveAsync(connection, item.Id, batch.Rejected, next, cancellationToken);
        _pending = next;
    };

    /// <summary>After the writer's transaction committed: the batch's counts become the committed ones.</summary>
    /// <exception cref="InvalidOperationException">The writer committed without running <see cref="BeforeCommit"/>'s hook.</exception>
    public void Commit()
    {
        Committed = _pending ?? throw new InvalidOperationException(
            $"{item.FilePath}: a batch was committed without its resume point being recorded; this is a bug in the importer: please report it");
        _pending = null;
    }

    /// <summary>Reports <paramref name="lines"/> read so far; called outside the writer's transaction.</summary>
    public Task ReportProgressAsync(long lines) => progress(lines);
}

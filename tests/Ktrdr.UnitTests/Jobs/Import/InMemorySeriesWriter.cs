using Ktrdr.Backends;
using Npgsql;

namespace Ktrdr.Tests.Jobs.Import;

/// <summary>
/// A writer of one series in memory with the real writer's contract: each batch's bars are compared with what is stored
/// (and with the batch's earlier bars: the first occurrence of a time wins), the hook runs "inside the transaction",
/// and the bars are stored only once the hook has returned.
/// </summary>
internal sealed class InMemorySeriesWriter : ISeriesBatchWriter
{
    private readonly Dictionary<DateTime, Bar> _stored = [];

    /// <summary>A copy of every batch given, in order.</summary>
    public List<IReadOnlyList<Bar>> Batches { get; } = [];

    /// <summary>True while a batch's hook runs.</summary>
    public bool InTransaction { get; private set; }

    public IReadOnlyDictionary<DateTime, Bar> Stored => _stored;

    public IEnumerable<Bar> Written => Batches.SelectMany(b => b);

    /// <summary>How many of the next batches fail as a deadlock would, with nothing stored.</summary>
    public int DeadlocksAhead { get; set; }

    public async Task<SaveResult> SaveBatchAsync(SeriesKey key, IReadOnlyList<Bar> bars, BatchCommitting? beforeCommit, CancellationToken cancellationToken)
    {
        if (DeadlocksAhead > 0)
        {
            // As the server does: the deadlock aborts the transaction while the bars are written, before the hook.
            DeadlocksAhead--;
            throw new PostgresException("deadlock detected", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected);
        }

        var batch = bars.ToList();
        Batches.Add(batch);
        var pending = new Dictionary<DateTime, Bar>();
        long inserted = 0, present = 0, conflicting = 0;
        foreach (var bar in batch)
        {
            if (_stored.TryGetValue(bar.Time, out var stored) || pending.TryGetValue(bar.Time, out stored))
            {
                present += stored == bar ? 1 : 0;
                conflicting += stored == bar ? 0 : 1;
            }
            else
            {
                pending[bar.Time] = bar;
                inserted++;
            }
        }

        var result = new SaveResult(inserted, present, conflicting, []);
        if (beforeCommit is not null)
        {
            InTransaction = true;
            try
            {
                // Never opened: the fake store that receives it needs no database.
                await using var connection = new NpgsqlConnection();
                await beforeCommit(connection, result, cancellationToken);
            }
            finally
            {
                InTransaction = false;
            }
        }

        foreach (var (time, bar) in pending)
        {
            _stored[time] = bar;
        }

        return result;
    }
}
